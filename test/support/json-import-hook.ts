import { readFile } from 'node:fs/promises';

/**
 * A module loader hook (node:module register): @actions/workflow-parser is built for bundlers and
 * imports its schema JSON without `with { type: 'json' }`, which Node refuses. This serves that
 * package's JSON files as JSON modules, and nothing else.
 */
export async function load(
  url: string,
  context: unknown,
  nextLoad: (url: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/')) {
    return { format: 'json', source: await readFile(new URL(url), 'utf8'), shortCircuit: true };
  }
  return nextLoad(url, context);
}
