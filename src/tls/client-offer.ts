import tls from 'node:tls';
import { GROUPS_OFFERED_BEFORE_TLS13 } from './client-hello.js';

let groupsOffered: string | undefined;

/**
 * Every group of the cipher scan's list (strongest first) that our OpenSSL can offer, as one
 * OpenSSL group list. Node's default offers only the five or so modern groups, so a server limited
 * to another curve (PostgreSQL's ssl_ecdh_curve = 'secp224r1' or 'brainpoolP256r1') refused every
 * handshake: TLS 1.2 looked refused and no certificate could be read, although any client offering
 * that curve gets in. Each name is tried on its own, because OpenSSL builds differ in what they
 * know (binary curves, brainpool) and one unknown name fails the whole list.
 */
export function offeredGroups(): string {
  groupsOffered ??= GROUPS_OFFERED_BEFORE_TLS13.filter((group) => {
    try {
      tls.createSecureContext({ ecdhCurve: group });
      return true;
    } catch {
      return false;
    }
  }).join(':');
  return groupsOffered;
}

/**
 * What a login over TLS offers: Node's default suites, then the two TLS 1.3 suites OpenSSL leaves
 * out by default. A server restricted to them (PostgreSQL 18 ssl_tls13_ciphers, MariaDB ssl_cipher =
 * 'TLS_AES_128_CCM_SHA256') refused our logins, so tls-required could not find a TLS login that
 * proceeds and stayed undecided. Appended, they change nothing for a server that takes a default.
 */
export const LOGIN_CIPHERS = `${tls.DEFAULT_CIPHERS}:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256`;
