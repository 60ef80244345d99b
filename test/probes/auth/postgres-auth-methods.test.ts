import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scram } from '../../../src/probes/auth/postgres-auth-methods.js';
import type { LoginPathMatrix } from '../../../src/probes/auth/login-paths.js';
import { loginPathMatrix } from '../../support/login-path-matrix.js';
import { sampleTarget } from '../../support/sample-target.js';

const rows: Array<{ name: string; matrix: LoginPathMatrix; verdict: string; reason: RegExp }> = [
  { name: 'SCRAM over TLS, refused without', matrix: loginPathMatrix(), verdict: 'passed', reason: /24 login paths asked \(3 roles x 3 databases.*SCRAM-SHA-256 on 9, refused on 15/ },
  { name: 'MD5 for a second role on another database', matrix: loginPathMatrix({ 'auditor@postgres tls': { kind: 'asked', method: 'md5' } }), verdict: 'failed', reason: /weaker method than SCRAM-SHA-256 on 1 login paths: auditor@postgres over tls: md5/ },
  { name: 'cleartext for a stranger', matrix: loginPathMatrix({ 'dbcomply_nobody_1@app tls': { kind: 'asked', method: 'cleartext-password' } }), verdict: 'failed', reason: /dbcomply_nobody_1@app over tls: cleartext-password/ },
  { name: 'trust on a physical replication connection is left to auth.no-passwordless', matrix: loginPathMatrix({ 'app@replication tls': { kind: 'asked', method: 'none' } }), verdict: 'passed', reason: /no authentication at all on 1 \(auth.no-passwordless judges those\)/ },
  { name: 'ident is left to auth.no-passwordless', matrix: loginPathMatrix({ 'app@app tls': { kind: 'asked', method: 'ident' } }), verdict: 'passed', reason: /ident \(the client host's word for who connects\) on 1 \(auth.no-passwordless judges those\)/ },
  { name: 'MD5 without TLS only', matrix: loginPathMatrix({ 'app@app plaintext': { kind: 'asked', method: 'md5' } }), verdict: 'failed', reason: /app@app over plaintext: md5/ },
  { name: 'OAUTHBEARER alone is not a password method', matrix: loginPathMatrix({ 'app@app tls': { kind: 'asked', method: 'sasl', mechanisms: ['OAUTHBEARER'] } }), verdict: 'passed', reason: /not a password \(OAUTHBEARER, GSS, SSPI\) on 1/ },
  { name: 'cleartext over TLS for the declared Entra principal is its token login', matrix: loginPathMatrix({ 'auditor@app tls': { kind: 'asked', method: 'cleartext-password' } }), verdict: 'passed', reason: /token login \(cleartext over TLS\) on 1/ },
  { name: 'cleartext without TLS for the Entra principal', matrix: loginPathMatrix({ 'auditor@app plaintext': { kind: 'asked', method: 'cleartext-password' } }), verdict: 'failed', reason: /auditor@app over plaintext: cleartext-password/ },
  { name: 'an unknown SASL mechanism', matrix: loginPathMatrix({ 'app@app tls': { kind: 'asked', method: 'sasl', mechanisms: ['SCRAM-SHA-1'] } }), verdict: 'failed', reason: /sasl \(SCRAM-SHA-1\)/ },
  { name: 'a path without an answer', matrix: loginPathMatrix({ 'app@app tls': { kind: 'no-answer', reason: 'timed out' } }), verdict: 'undecided', reason: /1 login paths got no answer \(first: app@app over tls: timed out\)/ },
  { name: 'a path refused while the server was starting up', matrix: loginPathMatrix({ 'auditor@app tls': { kind: 'refused', code: '57P03', message: 'the database system is starting up' } }), verdict: 'undecided', reason: /1 login paths were refused for a reason that is not an authentication rule, .*\(first: auditor@app over tls: 57P03/ },
  { name: 'the bound cut the matrix short', matrix: loginPathMatrix({}, undefined, { planned: 100 }), verdict: 'undecided', reason: /only 24 of 100 login paths were asked \(maxLoginPaths 600\)/ },
  { name: 'roles and databases not listed', matrix: loginPathMatrix({}, undefined, { listProblem: 'login refused' }), verdict: 'undecided', reason: /could not be listed: login refused/ },
  { name: 'a weak path outweighs incomplete coverage', matrix: loginPathMatrix({ 'app@app tls': { kind: 'asked', method: 'md5' } }, undefined, { listProblem: 'login refused' }), verdict: 'failed', reason: /md5/ },
];

for (const { name, matrix, verdict, reason } of rows) {
  test(`auth.scram judge: ${name} -> ${verdict}`, () => {
    const judgement = scram.judge(matrix, sampleTarget({ entra: { user: 'auditor', expiryWaitMs: 0 } }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
