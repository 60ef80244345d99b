import { access, constants, stat } from 'node:fs/promises';
import { ConfigError } from './config-error.js';
import { rememberAccountPassword, rememberAzureClientSecret, rememberEntraClientSecret, rememberPassword } from './secret-store.js';
import { parseTargetUrl } from './target-url.js';
import type { ProfileName, Target } from './target.js';
import type { TargetSpec } from './target-spec.js';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface TargetSources {
  urls: string[];
  configFile?: string;
  profile?: ProfileName;
  /** --intrusive: every target opts in to intrusive probes. */
  intrusive?: boolean;
}

function specFromFlag(url: string, index: number): TargetSpec {
  const field = `--target #${index + 1}`;
  const { target, password } = parseTargetUrl(url, field);
  const name = target.name ?? `${target.host}-${target.port}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return { target: { ...target, name }, password, field };
}

/** Targets from flags and the config file, checked as a whole; passwords go to the secret store. */
export async function resolveTargets(sources: TargetSources): Promise<Target[]> {
  // The config file's schema library is loaded only for a config file: runs given --target alone skip its start-up cost.
  const fromFile = sources.configFile ? await (await import('./config-file.js')).readConfigFile(sources.configFile) : [];
  const specs = [...sources.urls.map(specFromFlag), ...fromFile];
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const spec of specs) {
    const { name } = spec.target;
    if (!SAFE_NAME.test(name)) throw new ConfigError(`${spec.field} name`, `"${name}" must be 1-64 letters, digits, dot, dash or underscore (it names the report folder)`);
    if (seen.has(name)) throw new ConfigError(`${spec.field} name`, `duplicate target name "${name}"; names must be unique (a --target URL takes ?name=...)`);
    seen.add(name);
    if (spec.target.caFile) {
      await access(spec.target.caFile, constants.R_OK).catch(() => {
        throw new ConfigError(`${spec.field} CA file`, `cannot read ${spec.target.caFile}`);
      });
      // A directory passes the read check, and every TLS control would then be undecided with EISDIR.
      if (!(await stat(spec.target.caFile)).isFile()) {
        throw new ConfigError(`${spec.field} CA file`, `${spec.target.caFile} is not a file: name the PEM file that holds the CA certificates (a directory of certificates is not read)`);
      }
    }
    if (spec.target.entra?.caFile) {
      await access(spec.target.entra.caFile, constants.R_OK).catch(() => {
        throw new ConfigError(`${spec.field}.entra.caFile`, `cannot read ${spec.target.entra?.caFile}`);
      });
    }
    if (spec.password !== undefined) rememberPassword(name, spec.password);
    for (const [user, password] of Object.entries(spec.accountPasswords ?? {})) rememberAccountPassword(name, user, password);
    if (spec.entraClientSecret !== undefined) rememberEntraClientSecret(name, spec.entraClientSecret);
    if (spec.azureClientSecret !== undefined) rememberAzureClientSecret(name, spec.azureClientSecret);
    if (spec.target.azure?.caFile) {
      await access(spec.target.azure.caFile, constants.R_OK).catch(() => {
        throw new ConfigError(`${spec.field}.azure.caFile`, `cannot read ${spec.target.azure?.caFile}`);
      });
    }
    // The command line is the most deliberate choice, so --profile overrides every profile in the file.
    targets.push({
      ...spec.target,
      profile: sources.profile ?? spec.target.profile ?? 'baseline',
      ...(sources.intrusive || spec.target.intrusive ? { intrusive: true } : {}),
    });
  }
  return targets;
}
