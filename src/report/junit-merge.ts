import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from './atomic-write.js';
import { join } from 'node:path';
import type { ResultsDocument } from './results-document.js';

/** One junit.xml for CI systems that take a single file: every target's <testsuite> under <testsuites>. */
export async function writeMergedJunit(outDir: string, document: ResultsDocument): Promise<string> {
  const suites: string[] = [];
  for (const target of document.targets) {
    const xml = await readFile(join(outDir, target.reports.junit), 'utf8').catch(() => undefined);
    const suite = xml?.replace(/^<\?xml[^>]*>\s*/, '').trim();
    if (suite) suites.push(suite);
  }
  const path = join(outDir, 'junit.xml');
  await writeFileAtomically(path, `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dbcomply">\n${suites.join('\n')}\n</testsuites>\n`);
  return path;
}
