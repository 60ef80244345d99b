/**
 * A target that could not be assessed at all (its run threw, or an interrupt came before it) has
 * no verdicts in results.json, only its error; the CSV gives it a "not assessed" row and the matrix
 * an ERROR. The OSCAL document said nothing about it: no observation, no finding, so a reader of
 * the assessment results alone saw nothing not satisfied. Every control of its engine is now an
 * undecided finding naming the cause. The document still validates against the schema subset.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { oscalAssessmentResults } from '../../src/evidence/oscal-assessment-results.js';
import { newResultsDocument, unassessedTarget } from '../../src/runner/run-all.js';
import { CATALOGUE } from '../../src/controls/catalogue.js';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';
import { sampleTarget } from '../support/sample-target.js';

const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-oscal-unassessed-'));
after(() => rm(outDir, { recursive: true, force: true }));

test('an unassessed target has an undecided finding for every control of its engine, naming why', async () => {
  const document = { ...newResultsDocument(), complete: false, finishedAt: new Date().toISOString() };
  document.targets = [unassessedTarget(sampleTarget({ name: 'orders', engine: 'mysql' }), 'interrupted by SIGTERM before this target was assessed')];
  const oscal: any = await oscalAssessmentResults(outDir, document);
  const schema = JSON.parse(await readFile(join(PACKAGE_ROOT, 'schemas', 'oscal-assessment-results-subset.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  assert.ok(validate(oscal as object), JSON.stringify(validate.errors?.slice(0, 3)));
  const [result] = oscal['assessment-results'].results;
  const mysqlControls = CATALOGUE.filter((control) => control.engines.includes('mysql')).map((control) => control.id);
  assert.equal(result.findings?.length, mysqlControls.length);
  for (const finding of result.findings) {
    assert.equal(finding.target.status.state, 'not-satisfied');
    assert.equal(finding.target.status.reason, 'undecided');
    assert.match(finding.target.status.remarks, /not assessed: interrupted by SIGTERM/);
  }
  assert.ok(result.findings.some((finding: any) => finding.target['target-id'] === 'auth.strong-plugin'));
  assert.ok(!result.findings.some((finding: any) => finding.target['target-id'] === 'auth.scram'), 'a PostgreSQL-only control is not claimed for MySQL');
});
