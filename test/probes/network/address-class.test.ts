import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress } from '../../../src/probes/network/address-class.js';

const CASES: Array<[string, ReturnType<typeof classifyAddress>]> = [
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['172.32.0.1', 'public'],
  ['172.15.255.255', 'public'],
  ['192.168.1.1', 'private'],
  ['192.169.0.1', 'public'],
  ['fc00::1', 'private'],
  ['fdff:ffff::1', 'private'],
  ['fe00::1', 'public'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:8.8.8.8', 'public'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['100.128.0.1', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.9.9.9', 'loopback'],
  ['::1', 'loopback'],
  ['169.254.169.254', 'special'],
  ['fe80::1', 'special'],
  ['192.0.2.7', 'special'],
  ['0.0.0.0', 'special'],
  ['::', 'special'],
  ['2001:db8::1', 'special'],
  ['20.50.60.70', 'public'],
  ['2603:1030::1', 'public'],
];

for (const [address, expected] of CASES) {
  test(`${address} is ${expected}`, () => assert.equal(classifyAddress(address), expected));
}
