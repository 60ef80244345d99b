import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CIPHER_SUITES, cipherSuiteByCode, formatSuiteCode } from '../../src/tls/cipher-suites.js';

describe('cipher suite table', () => {
  it('has one entry per code and per IANA name', () => {
    assert.equal(new Set(CIPHER_SUITES.map((suite) => suite.code)).size, CIPHER_SUITES.length);
    assert.equal(new Set(CIPHER_SUITES.map((suite) => suite.iana)).size, CIPHER_SUITES.length);
  });

  it('covers every family the scan must detect', () => {
    const names = CIPHER_SUITES.map((suite) => suite.iana);
    for (const pattern of [/_NULL_/, /_anon_/, /EXPORT_WITH_RC4_40/, /EXPORT_WITH_RC2_CBC_40/, /DES40/, /_WITH_DES_CBC/, /3DES/, /RC4_128/, /IDEA/, /SEED/, /CAMELLIA_\d+_GCM/, /ARIA_\d+_CBC/, /_CCM_8$/, /CHACHA20/, /^TLS_ECDH_RSA/]) {
      assert.ok(names.some((name) => pattern.test(name)), `nothing matches ${pattern}`);
    }
    assert.deepEqual(
      CIPHER_SUITES.filter((suite) => suite.tls13).map((suite) => suite.iana),
      ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'],
    );
  });

  it('agrees with the local OpenSSL on every suite both know', () => {
    const listing = execFileSync('openssl', ['ciphers', '-V', '-stdname', 'ALL:COMPLEMENTOFALL:eNULL:@SECLEVEL=0'], { encoding: 'utf8' });
    let compared = 0;
    for (const line of listing.split('\n')) {
      const match = /0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+- (\S+)/.exec(line);
      if (!match || match[3].includes('PSK') || match[3].includes('SRP')) continue;
      const suite = cipherSuiteByCode(parseInt(match[1] + match[2], 16));
      assert.ok(suite, `missing ${match[3]}`);
      assert.equal(suite.iana, match[3]);
      assert.equal(suite.openssl, match[4]);
      compared += 1;
    }
    assert.ok(compared > 80, `only ${compared} suites compared`);
  });

  it('formats codes in registry notation', () => {
    assert.equal(formatSuiteCode(0xc02f), '0xC02F');
    assert.equal(formatSuiteCode(0x000a), '0x000A');
  });
});
