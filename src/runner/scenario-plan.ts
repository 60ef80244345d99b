import { loadSources } from '@cucumber/cucumber/api';
import parseTagExpression from '@cucumber/tag-expressions';
import { ConfigError } from '../targets/config-error.js';
import { CATALOGUE, CONTROL_TAG_PREFIX, areaOf, type ControlId } from '../controls/catalogue.js';
import { featurePaths, PACKAGE_ROOT } from './spec-paths.js';

/**
 * Checks --tags before any server is started: a malformed expression, or one that selects no
 * scenario, is a usage error. Running nothing would otherwise look like a clean pass.
 */
export async function checkScenarioSelection(tags: string | undefined): Promise<number> {
  if (tags) {
    try {
      parseTagExpression(tags);
    } catch (error) {
      throw new ConfigError('--tags', (error as Error).message);
    }
  }
  const { plan, errors } = await loadSources(
    { defaultDialect: 'en', paths: featurePaths(), names: [], tagExpression: tags ?? '', order: 'defined' },
    { cwd: PACKAGE_ROOT },
  );
  if (errors.length > 0) throw new Error(`the spec does not parse: ${errors.map((error) => `${error.uri}:${error.location.line} ${error.message}`).join('; ')}`);
  if (plan.length === 0) throw new ConfigError('--tags', `"${tags}" selects no scenario; tags look like @area:transport or @control:transport.tls1.3`);
  return plan.length;
}

/**
 * The controls a tag expression selects, judged on the tags every scenario of a control carries
 * (its area, its control id, and @intrusive for the intrusive ones), so probes can start early
 * for exactly what will run.
 */
export function selectedControls(tags: string | undefined): ControlId[] {
  const ids = CATALOGUE.map((control) => control.id);
  if (!tags) return ids;
  const expression = parseTagExpression(tags);
  return CATALOGUE.filter((control) =>
    expression.evaluate([`@area:${areaOf(control.id)}`, `${CONTROL_TAG_PREFIX}${control.id}`, ...(control.intrusive ? ['@intrusive'] : [])]),
  ).map((control) => control.id);
}
