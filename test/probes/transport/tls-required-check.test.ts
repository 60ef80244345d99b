import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tlsRequired, type ServerWideTlsRequirement, type TlsRequiredEvidence } from '../../../src/probes/transport/tls-required-check.js';
import type { TransportAttempt } from '../../../src/probes/transport/transport-attempt.js';
import { HBA_REFUSED, loginPathMatrix, SCRAM, tlsRequiredHalves } from '../../support/login-path-matrix.js';
import { sampleTarget } from '../../support/sample-target.js';

const attempt = (transport: 'tls' | 'plaintext', outcome: TransportAttempt['outcome']): TransportAttempt => ({ transport, outcome, description: `${transport} ${outcome}` });
const ON: ServerWideTlsRequirement = { readAs: 'read as the declared auditor "auditor"', requireSecureTransport: 'ON', accountsWithoutTlsRequirement: ["'app'@'%'"] };
const mysql = (plaintext: TransportAttempt['outcome'], overTls: TransportAttempt['outcome'], serverWide: ServerWideTlsRequirement = ON): TlsRequiredEvidence => ({
  engine: 'mysql',
  plaintext: attempt('plaintext', plaintext),
  overTls: attempt('tls', overTls),
  serverWide,
});

const postgres = (matrix: ReturnType<typeof loginPathMatrix>): TlsRequiredEvidence => ({ engine: 'postgres', ...tlsRequiredHalves(matrix) });

const rows: Array<[string, TlsRequiredEvidence, string, RegExp]> = [
  ['MySQL: plaintext refused, TLS accepted, required server-wide', mysql('refused', 'proceeds'), 'passed', /refused without TLS.*accepted over TLS.*require_secure_transport is ON/],
  ['MySQL: plaintext login accepted', mysql('proceeds', 'proceeds'), 'failed', /without TLS, plaintext proceeds/],
  ['MySQL: both refused', mysql('refused', 'refused'), 'undecided', /may not be about transport/],
  ['MySQL: plaintext inconclusive', mysql('undecided', 'proceeds'), 'undecided', /inconclusive/],
  ['MySQL: switched off, only the application account requires SSL', mysql('refused', 'proceeds', { ...ON, requireSecureTransport: 'OFF', accountsWithoutTlsRequirement: ["'etl'@'%'", "'root'@'localhost'"] }), 'failed', /require_secure_transport is OFF: these accounts may log in without TLS: 'etl'@'%'; 'root'@'localhost'/],
  ['MySQL: switched off, every account requires SSL today', mysql('refused', 'proceeds', { ...ON, requireSecureTransport: 'off', accountsWithoutTlsRequirement: [] }), 'failed', /every account requires TLS today, but any account created without REQUIRE SSL would not/],
  ['MySQL: the setting does not exist on this server', mysql('refused', 'proceeds', { ...ON, requireSecureTransport: 'absent (this server has no such setting)' }), 'failed', /absent/],
  ['MySQL: the setting could not be read', mysql('refused', 'proceeds', { problem: 'no permission' }), 'undecided', /could not be read/],
  ['PostgreSQL: plaintext refused everywhere, TLS proceeds', postgres(loginPathMatrix()), 'passed', /12 login paths asked .*without TLS,.*: all 12 are refused before authentication, while app@app over tls proceeds \(asked for sasl \(SCRAM-SHA-256\)\)/],
  ['PostgreSQL: plaintext allowed to another database', postgres(loginPathMatrix({ 'app@postgres plaintext': SCRAM })), 'failed', /1 login paths proceed to authentication without TLS: app@postgres over plaintext/],
  ['PostgreSQL: plaintext replication allowed', postgres(loginPathMatrix({ 'auditor@replication plaintext': { kind: 'asked', method: 'md5' } })), 'failed', /auditor@physical replication over plaintext/],
  ['PostgreSQL: nothing proceeds over TLS either', postgres(loginPathMatrix({}, () => ({ kind: 'refused', code: '28000', message: 'no pg_hba.conf entry for host "127.0.0.1"' }))), 'undecided', /none of the 12 paths asked over TLS proceeded either/],
  ['PostgreSQL: the declared account refused over TLS, another account proceeds', postgres(loginPathMatrix({ 'app@app tls': HBA_REFUSED, 'app@postgres tls': HBA_REFUSED })), 'passed', /while app@dbcomply_nodb_1 over tls proceeds/],
  ['PostgreSQL: the bound cut the plaintext paths', postgres(loginPathMatrix({}, undefined, { planned: 30, bound: 20 })), 'undecided', /only 12 of \d+ login paths were asked \(maxLoginPaths 20\)/],
  // The bound counts both transports, so the half's own count is not the setting that asks it all.
  ['PostgreSQL: the bound cut the plaintext paths, naming the bound that asks them all', postgres(loginPathMatrix({}, undefined, { planned: 30, bound: 20, plannedBothTransports: 30 })), 'undecided', /only 12 of 18 login paths were asked \(maxLoginPaths 20\); the rest are unknown: to ask them all, give this target maxLoginPaths: 30 in the config file \(on a --target URL: \?max-login-paths=30\)$/],
  ['PostgreSQL: a path without an answer', postgres(loginPathMatrix({ 'app@app plaintext': { kind: 'no-answer', reason: 'timed out' } })), 'undecided', /got no answer/],
  ['PostgreSQL: ident without TLS proceeds to authentication', postgres(loginPathMatrix({ 'app@app plaintext': { kind: 'asked', method: 'ident' } })), 'failed', /1 login paths proceed to authentication without TLS: app@app over plaintext/],
  ['PostgreSQL: a plaintext path refused because the server was full says nothing about TLS', postgres(loginPathMatrix({ 'app@app plaintext': { kind: 'refused', code: '53300', message: 'sorry, too many clients already' } })), 'undecided', /refused for a reason that is not an authentication rule.*app@app over plaintext: 53300/],
  // Debian's MariaDB as installed: no TLS at all; the declared password is refused (wrong, or the
  // account shadowed from this host by ''@'localhost'). A server without TLS cannot require it.
  [
    'MySQL: the server offers no TLS, our plaintext login refused',
    { engine: 'mysql', plaintext: attempt('plaintext', 'refused'), overTls: { transport: 'tls', outcome: 'undecided', description: 'user "app" over tls: error [HANDSHAKE_NO_SSL_SUPPORT]', tlsNotOffered: true }, serverWide: { problem: 'the server offers no TLS' } },
    'failed',
    /^the server offers no TLS at all \(user "app" over tls: error \[HANDSHAKE_NO_SSL_SUPPORT\]\), so every login travels in plaintext; our plaintext login: plaintext refused$/,
  ],
];

for (const [name, evidence, verdict, reason] of rows) {
  test(`transport.tls-required judge: ${name} -> ${verdict}`, () => {
    const judgement = tlsRequired.judge(evidence, sampleTarget({ engine: evidence.engine }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
