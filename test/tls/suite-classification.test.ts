import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifySuite } from '../../src/tls/suite-classification.js';

describe('classifySuite', () => {
  const cases: Array<[string, { keyExchange: string; forwardSecrecy: boolean; weaknesses: string[] }]> = [
    ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', { keyExchange: 'ECDHE', forwardSecrecy: true, weaknesses: [] }],
    ['TLS_DHE_DSS_WITH_AES_256_CBC_SHA256', { keyExchange: 'DHE', forwardSecrecy: true, weaknesses: [] }],
    ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', { keyExchange: 'ECDHE', forwardSecrecy: true, weaknesses: [] }],
    ['TLS_RSA_WITH_AES_128_CCM_8', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: [] }],
    ['TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: [] }],
    ['TLS_DH_RSA_WITH_SEED_CBC_SHA', { keyExchange: 'DH', forwardSecrecy: false, weaknesses: [] }],
    ['TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256', { keyExchange: 'ECDH', forwardSecrecy: false, weaknesses: [] }],
    ['TLS_RSA_WITH_IDEA_CBC_SHA', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: [] }],
    ['TLS_RSA_WITH_NULL_MD5', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: ['null-encryption', 'md5'] }],
    ['TLS_ECDHE_ECDSA_WITH_NULL_SHA', { keyExchange: 'ECDHE', forwardSecrecy: true, weaknesses: ['null-encryption'] }],
    ['TLS_DH_anon_WITH_AES_128_GCM_SHA256', { keyExchange: 'DH', forwardSecrecy: false, weaknesses: ['anonymous'] }],
    ['TLS_ECDH_anon_WITH_NULL_SHA', { keyExchange: 'ECDH', forwardSecrecy: false, weaknesses: ['null-encryption', 'anonymous'] }],
    ['TLS_RSA_EXPORT_WITH_RC4_40_MD5', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: ['export', 'rc4', 'md5'] }],
    ['TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: ['export', 'md5'] }],
    ['TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', { keyExchange: 'DHE', forwardSecrecy: true, weaknesses: ['export', 'des'] }],
    ['TLS_DH_anon_EXPORT_WITH_RC4_40_MD5', { keyExchange: 'DH', forwardSecrecy: false, weaknesses: ['anonymous', 'export', 'rc4', 'md5'] }],
    ['TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: ['export', 'des'] }],
    ['TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA', { keyExchange: 'DHE', forwardSecrecy: true, weaknesses: ['export', 'rc4'] }],
    ['TLS_RSA_WITH_DES_CBC_SHA', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: ['des'] }],
    ['TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', { keyExchange: 'ECDHE', forwardSecrecy: true, weaknesses: ['3des'] }],
    ['TLS_ECDHE_RSA_WITH_RC4_128_SHA', { keyExchange: 'ECDHE', forwardSecrecy: true, weaknesses: ['rc4'] }],
    ['TLS_RSA_WITH_RC4_128_MD5', { keyExchange: 'RSA', forwardSecrecy: false, weaknesses: ['rc4', 'md5'] }],
  ];
  for (const [name, expected] of cases) {
    it(name, () => {
      const { keyExchange, forwardSecrecy, weaknesses, tls13 } = classifySuite(name);
      assert.deepEqual({ keyExchange, forwardSecrecy, weaknesses }, expected);
      assert.equal(tls13, false);
    });
  }

  for (const name of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']) {
    it(`${name} is a TLS 1.3 suite with forward secrecy`, () => {
      assert.deepEqual(classifySuite(name), { tls13: true, keyExchange: '(EC)DHE', forwardSecrecy: true, weaknesses: [] });
    });
  }

  it('rejects names outside the grammar instead of guessing', () => {
    for (const name of ['TLS_PSK_WITH_AES_128_CBC_SHA', 'TLS_KRB5_WITH_DES_CBC_SHA', 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', '']) {
      assert.throws(() => classifySuite(name), /not a cipher suite name/, name);
    }
  });
});
