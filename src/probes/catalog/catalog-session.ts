import { UndecidedError } from '../../controls/verdict.js';
import { accountPasswordFor, passwordFor } from '../../targets/secret-store.js';
import type { Target } from '../../targets/target.js';
import { withDeadline } from '../../util/deadline.js';
import { classifyLoginError, describeLoginEnd } from '../login/login-attempt.js';
import { openSqlSession, type Credentials, type SqlSession } from '../sql/sql-session.js';

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

/** One catalog session per target, shared by every check: one login instead of one per check. */
const sharedSessions = new Map<string, Promise<{ session: SqlSession; note: string; user: string }>>();

function sharedSession(target: Target): Promise<{ session: SqlSession; note: string; user: string }> {
  let pending = sharedSessions.get(target.name);
  if (!pending) {
    const account = catalogCredentials(target);
    pending = account
      ? withDeadline(target.timeoutMs, `logging in to read the catalog`, (signal) => openSqlSession(target, account.credentials, 'tls', signal, { withoutDatabase: true })).then(
          (session) => ({ session, note: account.note, user: account.credentials.user }),
          (error: unknown) => {
            throw new UndecidedError(`cannot log in as "${account.credentials.user}" to read the catalog: ${describeLoginEnd(classifyLoginError(target, error))}`);
          },
        )
      : Promise.reject(new UndecidedError('no auditor account (or login account with a password) is declared for this target'));
    pending.catch(() => undefined);
    sharedSessions.set(target.name, pending);
  }
  return pending;
}

/** Ends the target's catalog session; the next reading opens a new one. */
export async function closeCatalogSession(targetName: string): Promise<void> {
  const pending = sharedSessions.get(targetName);
  sharedSessions.delete(targetName);
  await pending?.then(({ session }) => session.close(), () => undefined);
}

/**
 * Reads the server's catalog over TLS (credentials never cross the wire in the clear) within the
 * target's timeout. Anything that stops the reading (no account, refused login, missing
 * permission, timeout) is an UndecidedError naming the server's code: the control is never passed.
 * A failed login is tried once per target, so a wrong auditor password cannot lock the auditor.
 */
export async function readCatalog<T>(target: Target, what: string, read: (session: SqlSession) => Promise<T>): Promise<{ readAs: string; result: T }> {
  const { session, note, user } = await sharedSession(target);
  try {
    return { readAs: note, result: await withDeadline(target.timeoutMs, `reading ${what}`, () => read(session)) };
  } catch (error) {
    throw new UndecidedError(`cannot read ${what} as "${user}": ${describeLoginEnd(classifyLoginError(target, error))}`);
  }
}
