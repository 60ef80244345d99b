/**
 * The network judgements on observations the matrix cannot easily stage (broken vantage points,
 * a full MySQL server, an allowed source that is itself refused). Each observation is what the
 * probe returns; the real servers' side is covered by test/acceptance/network-matrix.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeAllowlist, judgeNoBanner } from '../../../src/probes/network/exposure-judgements.js';
import type { FirstContact } from '../../../src/probes/network/first-contact.js';
import type { VantageObservation } from '../../../src/probes/network/vantage.js';

function seen(expect: 'allowed' | 'denied', contact: FirstContact): VantageObservation {
  return { vantagePoint: expect === 'allowed' ? 'inside' : 'outside', expect, from: 'source address 127.0.0.9', reach: { contact, elapsedMs: 1 } };
}

const greeting: FirstContact = { kind: 'mysql-greeting', serverVersion: '8.4.0', connectionId: 1, authPlugin: 'caching_sha2_password' };
const dropped: FirstContact = { kind: 'dropped', detail: 'no answer' };

test('network.allowlist and network.no-banner judges: a denied source whose probe could not start leaves both controls undecided', () => {
  const observations = [seen('allowed', greeting), seen('denied', { kind: 'vantage-error', code: 'EADDRNOTAVAIL', detail: 'not an address of this machine' })];
  assert.equal(judgeAllowlist(observations).verdict, 'undecided');
  assert.equal(judgeNoBanner(observations).verdict, 'undecided');
});

test('network.allowlist and network.no-banner judges: a drop counts only next to an allowed source that gets through', () => {
  const observations = [seen('allowed', dropped), seen('denied', dropped)];
  assert.match(judgeAllowlist(observations).reason, /server that answers no one/);
  assert.equal(judgeAllowlist(observations).verdict, 'undecided');
  assert.equal(judgeNoBanner(observations).verdict, 'undecided');
});

test('network.allowlist and network.no-banner judges: a MySQL refusal other than "host not allowed" does not show an allow list', () => {
  const tooMany: FirstContact = { kind: 'mysql-error', code: 1040, message: 'Too many connections' };
  const observations = [seen('allowed', greeting), seen('denied', tooMany)];
  assert.equal(judgeAllowlist(observations).verdict, 'undecided');
  assert.equal(judgeNoBanner(observations).verdict, 'failed', 'the error packet still reached the denied source');
});

test('network.allowlist and network.no-banner judges: a denied source that is greeted fails both, whatever else happened', () => {
  const observations = [seen('allowed', { kind: 'vantage-error', detail: 'no route' }), seen('denied', greeting)];
  assert.equal(judgeAllowlist(observations).verdict, 'failed');
  assert.equal(judgeNoBanner(observations).verdict, 'failed');
});

test('network.allowlist and network.no-banner judges: bytes the probe cannot read are a banner, and cannot stand in for an allowed source hearing the server', () => {
  const unreadable: FirstContact = { kind: 'unrecognised', bytes: '485454502f312e31', detail: 'not an answer to an SSLRequest' };
  assert.equal(judgeNoBanner([seen('allowed', greeting), seen('denied', unreadable)]).verdict, 'failed');
  assert.equal(judgeNoBanner([seen('allowed', unreadable), seen('denied', dropped)]).verdict, 'undecided');
});

test('network.allowlist and network.no-banner judges: without both a denied and an allowed observation nothing is decided', () => {
  for (const observations of [[], [seen('denied', dropped)], [seen('allowed', greeting)]]) {
    assert.equal(judgeAllowlist(observations).verdict, 'undecided');
    assert.equal(judgeNoBanner(observations).verdict, 'undecided');
  }
});
