import { UndecidedError } from '../../controls/verdict.js';
import { accountPasswordFor, passwordFor } from '../../targets/secret-store.js';
import type { Target } from '../../targets/target.js';
import { withDeadline } from '../../util/deadline.js';
import { classifyLoginError } from '../login/login-attempt.js';
import { openSqlSession, type Credentials, type SqlSession } from '../sql/sql-session.js';

export interface CatalogReader {
  /** The account the catalog was read as, and why that one. */
  readAs: string;
  session: SqlSession;
}

/** The declared auditor, else the login account; undefined when neither has a password to hand. */
export function catalogCredentials(target: Target): { credentials: Credentials; note: string } | undefined {
  if (target.auditor) {
    const password = accountPasswordFor(target.name, target.auditor);
    if (password !== undefined) return { credentials: { user: target.auditor, password }, note: `read as the declared auditor "${target.auditor}"` };
  }
  const password = passwordFor(target.name);
  if (target.user && password !== undefined) {
    return { credentials: { user: target.user, password }, note: `read as the login account "${target.user}" (no auditor account declared)` };
  }
  return undefined;
}

/**
 * Reads the server's catalog over TLS (credentials never cross the wire in the clear) within the
 * target's timeout. Anything that stops the reading (no account, refused login, missing
 * permission, timeout) is an UndecidedError naming the server's code: the control is never passed.
 */
export async function readCatalog<T>(target: Target, what: string, read: (session: SqlSession) => Promise<T>): Promise<{ readAs: string; result: T }> {
  const account = catalogCredentials(target);
  if (!account) throw new UndecidedError(`cannot read ${what}: no auditor account (or login account with a password) is declared for this target`);
  try {
    const result = await withDeadline(target.timeoutMs * 2, `reading ${what}`, async (signal) => {
      const session = await openSqlSession(target, account.credentials, 'tls', signal, { withoutDatabase: true });
      try {
        return await read(session);
      } finally {
        await session.close();
      }
    });
    return { readAs: account.note, result };
  } catch (error) {
    if (error instanceof UndecidedError) throw error;
    const { outcome, serverCode, message } = classifyLoginError(target, error);
    throw new UndecidedError(`cannot read ${what} as "${account.credentials.user}": ${outcome}${serverCode ? ` [${serverCode}]` : ''}${message ? ` ${message}` : ''}`);
  }
}
