import type { LoginAttemptEvidence } from '../../sessions/login-attempt.js';

/** How far one connection attempt got towards a session over one transport, engine-neutral. */
export interface TransportAttempt {
  transport: 'tls' | 'plaintext';
  /** proceeds: the server went on to authenticate (PostgreSQL) or logged us in (MySQL). */
  outcome: 'proceeds' | 'refused' | 'undecided';
  description: string;
  /** MySQL, over TLS: the server's greeting does not offer TLS at all (mysql2's HANDSHAKE_NO_SSL_SUPPORT), so nothing can travel encrypted. */
  tlsNotOffered?: true;
}

/** mysql2's code for a greeting without CLIENT_SSL, when the client asked for TLS. */
const MYSQL_TLS_NOT_OFFERED = 'HANDSHAKE_NO_SSL_SUPPORT';

const REFUSED_LOGINS = new Set(['refused-by-policy', 'refused-by-authentication', 'locked']);

/** Undefined login: no account with a password is configured for the target. */
export function attemptFromLogin(transport: 'tls' | 'plaintext', login: LoginAttemptEvidence | undefined): TransportAttempt {
  if (!login) {
    return {
      transport,
      outcome: 'undecided',
      description: 'no account with a password is configured for this target; MySQL servers can only be shown to refuse plaintext with valid credentials',
    };
  }
  const code = login.serverCode ? ` [${login.serverCode}]` : '';
  const description = `user "${login.user}" over ${transport}: ${login.outcome}${code}${login.message ? ` (${login.message})` : ''}`;
  if (login.outcome === 'accepted') return { transport, outcome: 'proceeds', description };
  return {
    transport,
    outcome: REFUSED_LOGINS.has(login.outcome) ? 'refused' : 'undecided',
    description,
    ...(transport === 'tls' && login.serverCode === MYSQL_TLS_NOT_OFFERED ? { tlsNotOffered: true as const } : {}),
  };
}
