import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../src/targets/target.js';
import type { TlsVersion } from '../src/tls/versions.js';
import { versionAnswers, weakSuiteByCode, weakSuiteByIana, type TransportFindings, type VersionAnswer } from './findings.js';

export interface PeerServer {
  engine: Engine;
  port: number;
}

export type PeerOutcome = { ok: true; elapsedMs: number; findings: TransportFindings } | { ok: false; reason: string };

export interface PeerTool {
  name: string;
  /** How the tool gets past PostgreSQL's and MySQL's pre-TLS exchange, for the report. */
  starttls: string;
  /** Undefined when the tool is not installed. */
  version(): Promise<string | undefined>;
  /** Rounds to time, given the rounds the other tools get. */
  rounds(requested: number): number;
  /** `workDir` is empty and private to this call. */
  assess(server: PeerServer, workDir: string): Promise<PeerOutcome>;
}

interface CommandResult {
  stdout: string;
  stderr: string;
  /** -1 when the command was killed (its time limit). */
  exitCode: number;
  elapsedMs: number;
}

/** Resolves whatever the exit code; rejects only when the command cannot be started at all. */
function run(command: string, args: string[], options: { cwd?: string; timeoutMs: number }): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const elapsedMs = performance.now() - started;
      if (error && typeof error.code === 'string') return reject(error);
      resolve({ stdout, stderr, exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, elapsedMs });
    });
  });
}

async function installedVersion(command: string, pattern: RegExp): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(command, ['--version'], { timeoutMs: 30_000 });
    // sslscan and testssl colour their banners even when writing to a pipe.
    return pattern.exec(`${stdout}\n${stderr}`.replace(/\x1b\[[0-9;]*m/g, ''))?.[1] ?? 'unknown version';
  } catch {
    return undefined;
  }
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

const SSLSCAN_STARTTLS: Record<Engine, string> = { postgres: '--starttls-psql', mysql: '--starttls-mysql' };
const SSLSCAN_XML_VERSION: Record<string, TlsVersion> = { '1.0': 'TLSv1', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

export const sslscan: PeerTool = {
  name: 'sslscan',
  starttls: '--starttls-psql / --starttls-mysql',
  version: () => installedVersion('sslscan', /(\d+\.\d+\.\d+)/),
  rounds: (requested) => requested,
  async assess(server) {
    const result = await run('sslscan', ['--no-colour', '--xml=-', SSLSCAN_STARTTLS[server.engine], `127.0.0.1:${server.port}`], { timeoutMs: 120_000 });
    const protocols = new Map(
      [...result.stdout.matchAll(/<protocol type="tls" version="(1\.[0-3])" enabled="([01])"/g)].map((match) => [SSLSCAN_XML_VERSION[match[1]], match[2] === '1']),
    );
    if (result.exitCode !== 0 || protocols.size === 0) return { ok: false, reason: `sslscan failed: ${lastLine(result.stderr || result.stdout)}` };
    const accepted = [...result.stdout.matchAll(/<cipher status="(?:preferred|accepted)"[^>]*? cipher="([^"]+)" id="0x([0-9A-Fa-f]+)"/g)];
    return {
      ok: true,
      elapsedMs: result.elapsedMs,
      findings: {
        versions: versionAnswers((version): VersionAnswer => (protocols.has(version) ? (protocols.get(version) ? 'accepted' : 'refused') : 'unknown')),
        weakSuites: accepted.flatMap(([, name, hex]) => weakSuiteByCode(parseInt(hex, 16), name) ?? []),
      },
    };
  },
};

const NMAP_SERVICE: Record<Engine, string> = { postgres: 'postgresql', mysql: 'mysql' };

export const nmap: PeerTool = {
  name: 'nmap',
  starttls: "ssl-enum-ciphers' own postgresql/mysql preambles, chosen by service name through --servicedb",
  version: () => installedVersion('nmap', /Nmap version (\S+)/),
  rounds: (requested) => requested,
  async assess(server, workDir) {
    // nmap picks the STARTTLS preamble (sslcert.lua: SSLRequest, MySQL SSL request) by service name
    // or by the well-known port. A fixture listens on a random port, which nmap calls "unknown";
    // -sV would name it after ~7 s of service probes, a one-line services file names it for free.
    // --servicedb implies fast-scan mode, which forbids -p, so --top-ports 1 selects the port.
    const services = join(workDir, 'nmap-services');
    await writeFile(services, `${NMAP_SERVICE[server.engine]}\t${server.port}/tcp\t0.5\n`);
    const args = ['-Pn', '-n', '-sT', '--servicedb', services, '--top-ports', '1', '--script', 'ssl-enum-ciphers', '-oX', '-', '127.0.0.1'];
    const result = await run('nmap', args, { timeoutMs: 120_000 });
    if (result.exitCode !== 0) return { ok: false, reason: `nmap failed: ${lastLine(result.stderr || result.stdout)}` };
    const script = /<script id="ssl-enum-ciphers"[\s\S]*?<\/script>/.exec(result.stdout)?.[0];
    if (!script) return { ok: false, reason: `n/a: ssl-enum-ciphers printed nothing for port ${server.port} (no TLS after nmap's ${NMAP_SERVICE[server.engine]} preamble)` };
    const sections = new Map<string, string>();
    const parts = script.split(/<table key="(SSLv3|TLSv1\.[0-3])">/);
    for (let index = 1; index < parts.length; index += 2) sections.set(parts[index], parts[index + 1]);
    const suitesOf = (section: string) => [...section.matchAll(/<elem key="name">([^<]+)<\/elem>/g)].map((match) => match[1]);
    return {
      ok: true,
      elapsedMs: result.elapsedMs,
      findings: {
        versions: versionAnswers((version) => (sections.has(version === 'TLSv1' ? 'TLSv1.0' : version) ? 'accepted' : 'refused')),
        // nmap 7.93 still names TLS 1.3 suites as the TLS 1.3 drafts did: TLS_AKE_WITH_AES_128_GCM_SHA256.
        weakSuites: [...sections.values()].flatMap(suitesOf).flatMap((name) => weakSuiteByIana(name.replace(/^TLS_AKE_WITH_/, 'TLS_')) ?? []),
      },
    };
  },
};

const TESTSSL_STARTTLS: Record<Engine, string> = { postgres: 'postgres', mysql: 'mysql' };
const TESTSSL_ID: Record<TlsVersion, string> = { TLSv1: 'TLS1', 'TLSv1.1': 'TLS1_1', 'TLSv1.2': 'TLS1_2', 'TLSv1.3': 'TLS1_3' };

export const testssl: PeerTool = {
  name: 'testssl',
  starttls: '--starttls postgres / --starttls mysql (the latter marked experimental by testssl)',
  version: () => installedVersion('testssl', /testssl\s+(\d[^\s]*)/),
  // 25-55 s a run on this machine, most of it testssl's own start-up: one round is what fits.
  rounds: () => 1,
  async assess(server, workDir) {
    const jsonFile = join(workDir, 'testssl.json');
    const args = ['--quiet', '--color', '0', '--warnings', 'off', '-p', '--starttls', TESTSSL_STARTTLS[server.engine], '--jsonfile', jsonFile, `127.0.0.1:${server.port}`];
    const result = await run('testssl', args, { cwd: workDir, timeoutMs: 300_000 });
    const findings = await readFile(jsonFile, 'utf8').then(
      (text) => JSON.parse(text) as Array<{ id: string; finding: string }>,
      () => [],
    );
    const byId = new Map(findings.map((entry) => [entry.id, entry.finding]));
    if (!byId.has(TESTSSL_ID['TLSv1.2'])) return { ok: false, reason: `testssl failed (exit ${result.exitCode}): ${lastLine(result.stdout || result.stderr)}` };
    return {
      ok: true,
      elapsedMs: result.elapsedMs,
      findings: {
        versions: versionAnswers((version) => {
          const finding = byId.get(TESTSSL_ID[version]) ?? '';
          return finding.startsWith('offered') ? 'accepted' : finding.startsWith('not offered') ? 'refused' : 'unknown';
        }),
      },
    };
  },
};

export const PEER_TOOLS: readonly PeerTool[] = [sslscan, nmap, testssl];
