import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printable } from '../../src/util/printable.js';

test('printable escapes control, separator, zero-width and bidi characters and the backslash; ordinary text is unchanged', () => {
  assert.equal(printable('pg/report.html — Zürich ✓'), 'pg/report.html — Zürich ✓');
  assert.equal(printable('a\nb\r\tc'), 'a\\u000ab\\u000d\\u0009c');
  assert.equal(printable('\u001b[8m\u007f\u0085'), '\\u001b[8m\\u007f\\u0085');
  assert.equal(printable('x\u2028\u202etxt.exe\u200b\ufeff'), 'x\\u2028\\u202etxt.exe\\u200b\\ufeff');
  assert.equal(printable('C:\\u001b'), 'C:\\\\u001b', 'a literal backslash-u in a name cannot pass for an escape');
});
