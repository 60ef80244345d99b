import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';
import parseTagExpression from '@cucumber/tag-expressions';
import { ConfigError } from '../targets/config-error.js';
import { CATALOGUE, CONTROL_TAG_PREFIX, areaOf, type ControlId } from '../controls/catalogue.js';
import { featurePaths } from './spec-paths.js';

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
  const scenarios = await specScenarios();
  const selected = tags ? parseTagExpression(tags) : undefined;
  const count = selected ? scenarios.filter((tagsOfScenario) => selected.evaluate(tagsOfScenario)).length : scenarios.length;
  if (count === 0) throw new ConfigError('--tags', `"${tags}" selects no scenario; tags look like @area:transport or @control:transport.tls1.3`);
  return count;
}

/**
 * The tags of every scenario of the spec (one entry per scenario, outline rows included), read
 * with Cucumber's own Gherkin parser: the whole Cucumber runner is not needed to count them, and
 * loading it later lets the first probes go out while it loads.
 */
async function specScenarios(): Promise<string[][]> {
  const [directory] = featurePaths();
  const files = (await readdir(directory, { recursive: true, encoding: 'utf8' })).filter((file) => file.endsWith('.feature')).sort();
  const scenarios: string[][] = [];
  const errors: string[] = [];
  for (const file of files) {
    const uri = join(directory, file);
    const envelopes = generateMessages(await readFile(uri, 'utf8'), uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      defaultDialect: 'en',
      includeSource: false,
      includeGherkinDocument: false,
      includePickles: true,
      newId: IdGenerator.incrementing(),
    });
    for (const envelope of envelopes) {
      if (envelope.pickle) scenarios.push(envelope.pickle.tags.map((tag) => tag.name));
      if (envelope.parseError) errors.push(`${file}:${envelope.parseError.source.location?.line ?? '?'} ${envelope.parseError.message}`);
    }
  }
  if (errors.length > 0) throw new Error(`the spec does not parse: ${errors.join('; ')}`);
  return scenarios;
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
