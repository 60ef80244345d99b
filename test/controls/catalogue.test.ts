import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CATALOGUE, findControl } from '../../src/controls/catalogue.js';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';

test('every @control tag in the spec names a catalogued control, and every catalogued control has a scenario', async () => {
  const featureDir = join(PACKAGE_ROOT, 'features');
  const files = (await readdir(featureDir, { recursive: true })).filter((file) => file.endsWith('.feature'));
  const tagged = new Set<string>();
  for (const file of files) {
    for (const [, id] of (await readFile(join(featureDir, file), 'utf8')).matchAll(/@control:(\S+)/g)) tagged.add(id);
  }
  for (const id of tagged) assert.ok(findControl(id), `${id} is tagged but not catalogued`);
  for (const control of CATALOGUE) assert.ok(tagged.has(control.id), `${control.id} is catalogued but no scenario carries it`);
});
