import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, resultsCsv, CSV_COLUMNS } from '../../src/report/results-csv.js';
import { rememberPassword } from '../../src/targets/secret-store.js';
import type { ResultsDocument, TargetResult } from '../../src/report/results-document.js';

const SECRET = 'Csv-Canary-8c2d41';

function target(overrides: Partial<TargetResult>): TargetResult {
  return {
    name: 'pg-a',
    engine: 'postgres',
    endpoint: '127.0.0.1:5432',
    profile: 'baseline',
    server: { version: '15.8' },
    controls: {},
    reasons: {},
    scenarios: [],
    reports: { html: 'pg-a/report.html', junit: 'pg-a/junit.xml', messages: 'pg-a/messages.ndjson' },
    durationMs: 1,
    ...overrides,
  } as TargetResult;
}

/** RFC 4180 read back: enough to check what a spreadsheet would see in each cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') (cell += '"'), at++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(cell), (cell = '');
    else if (char === '\r' && text[at + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), at++;
    else cell += char;
  }
  return rows;
}

test('cells: quoted when they hold a comma, quote or line break; a formula-like start, also after spaces or a semicolon, is made inert', () => {
  const table: Array<[string, string]> = [
    ['plain text', 'plain text'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    [' =1+1', "' =1+1"],
    ['\u00a0=1+1', "'\u00a0=1+1"],
    ['\0=1+1', "'\0=1+1"],
    ["a;=cmd|' /C calc'!A0", "a;'=cmd|' /C calc'!A0"],
    ['role;-2+3', "role;'-2+3"],
    ['x; @SUM(A1)', "x; '@SUM(A1)"],
    ['well-known; a-b', 'well-known; a-b'],
    ['', ''],
  ];
  for (const [value, expected] of table) assert.equal(csvCell(value), expected, JSON.stringify(value));
});

test('one row per target and control in catalogue order, with reason, trend and report; an unassessed target says why', () => {
  rememberPassword('pg-a', SECRET);
  const document = {
    targets: [
      target({
        controls: { 'auth.scram': 'failed', 'transport.tls-required': 'passed' },
        reasons: { 'auth.scram': `md5 on app@sales, "=cmd" role; login with ${SECRET} refused`, 'transport.tls-required': '48 login paths asked' },
        trend: { 'auth.scram': 'new-failure' },
      }),
      target({ name: 'gone', engine: 'mysql', endpoint: 'db:3306', server: {}, error: 'the target could not be run: boom', reports: { html: 'gone/report.html', junit: '', messages: '' } }),
    ],
  } as unknown as ResultsDocument;
  const text = resultsCsv(document);
  assert.ok(!text.includes(SECRET), 'the secret is redacted');
  const rows = parseCsv(text);
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, 4);
  const [, first, second, unassessed] = rows.map((row) => Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, row[index]])));
  assert.equal(first.control, 'transport.tls-required', 'catalogue order: transport before auth');
  assert.deepEqual(
    [second.target, second.engine, second.server_version, second.control, second.area, second.verdict, second.trend, second.report],
    ['pg-a', 'postgres', '15.8', 'auth.scram', 'auth', 'failed', 'new-failure', 'pg-a/report.html'],
  );
  assert.match(second.mcsb, /\S/);
  assert.equal(second.reason, 'md5 on app@sales, "=cmd" role; login with [redacted] refused');
  assert.deepEqual([unassessed.target, unassessed.control, unassessed.verdict, unassessed.reason], ['gone', '', 'not assessed', 'the target could not be run: boom']);
});
