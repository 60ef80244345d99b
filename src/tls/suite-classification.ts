export type SuiteWeakness = 'null-encryption' | 'anonymous' | 'export' | 'des' | '3des' | 'rc4' | 'md5';

/** TLS 1.3 suites leave the key exchange to the handshake, where it is always ephemeral (EC)DHE. */
export type KeyExchange = 'RSA' | 'DH' | 'DHE' | 'ECDH' | 'ECDHE' | '(EC)DHE';

export interface SuiteClassification {
  tls13: boolean;
  keyExchange: KeyExchange;
  forwardSecrecy: boolean;
  weaknesses: SuiteWeakness[];
}

const PRE_TLS13_NAME = /^TLS_(RSA|DHE?|ECDHE?)(_[A-Za-z0-9_]+?)?_WITH_([A-Z0-9_]+)$/;
const TLS13_NAME = /^TLS_(AES_(128|256)_(GCM|CCM(_8)?)|CHACHA20_POLY1305)_SHA(256|384)$/;

/** Reads key exchange, forward secrecy and weaknesses off an IANA suite name, e.g. TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA. */
export function classifySuite(iana: string): SuiteClassification {
  if (TLS13_NAME.test(iana)) return { tls13: true, keyExchange: '(EC)DHE', forwardSecrecy: true, weaknesses: [] };
  const match = PRE_TLS13_NAME.exec(iana);
  if (!match) throw new Error(`not a cipher suite name this classifier knows: ${iana}`);
  const [, keyExchange, qualifiers = '', cipherAndMac] = match;
  const checks: Array<[SuiteWeakness, boolean]> = [
    ['null-encryption', cipherAndMac.startsWith('NULL_')],
    ['anonymous', qualifiers.includes('_anon')],
    ['export', qualifiers.includes('_EXPORT') || /^DES40_|_40_/.test(cipherAndMac)],
    ['des', /^DES(40)?_CBC_/.test(cipherAndMac)],
    ['3des', cipherAndMac.startsWith('3DES_')],
    ['rc4', cipherAndMac.startsWith('RC4_')],
    ['md5', cipherAndMac.endsWith('_MD5')],
  ];
  return {
    tls13: false,
    keyExchange: keyExchange as KeyExchange,
    forwardSecrecy: keyExchange === 'DHE' || keyExchange === 'ECDHE',
    weaknesses: checks.filter(([, applies]) => applies).map(([weakness]) => weakness),
  };
}
