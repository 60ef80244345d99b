/**
 * The recipe for a control, held against the code: every catalogue id has a scenario that names it
 * alone, a check filed under its id, and a judge table test under test/probes/ that names it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CATALOGUE } from '../../src/controls/catalogue.js';
import { CHECKS } from '../../src/probes/checks.js';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';

async function sources(directory: string, extension: string): Promise<Array<{ file: string; text: string }>> {
  const files = (await readdir(directory, { recursive: true })).filter((file) => file.endsWith(extension));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(directory, file), 'utf8') })));
}

test('every check is filed under its own control id', () => {
  for (const control of CATALOGUE) assert.equal(CHECKS[control.id].id, control.id, `CHECKS['${control.id}'] holds the check of ${CHECKS[control.id].id}`);
});

test('every scenario names exactly one control', async () => {
  for (const { file, text } of await sources(join(PACKAGE_ROOT, 'features'), '.feature')) {
    let tags: string[] = [];
    for (const line of text.split('\n').map((raw) => raw.trim())) {
      if (line.startsWith('@')) tags.push(...line.split(/\s+/));
      else if (/^Scenario( Outline)?:/.test(line)) {
        const ids = tags.filter((tag) => tag.startsWith('@control:'));
        assert.equal(ids.length, 1, `${file}: "${line}" names ${ids.length} controls`);
        tags = [];
      } else if (line && !line.startsWith('#')) tags = [];
    }
  }
});

test('every control has a judge table test under test/probes/ that names its id', async () => {
  const tests = await sources(join(PACKAGE_ROOT, 'test', 'probes'), '.test.ts');
  for (const control of CATALOGUE) {
    assert.ok(
      tests.some(({ text }) => text.includes(`'${control.id}`) || text.includes(`\`${control.id}`) || text.includes(`${control.id} judge`)),
      `no test under test/probes/ names ${control.id}`,
    );
  }
});
