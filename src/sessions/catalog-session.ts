import { CannotObserve } from '../controls/observation.js';
import { accountPasswordFor, passwordFor } from '../targets/secret-store.js';
import type { Target } from '../targets/target.js';
import { withDeadline } from '../util/deadline.js';
import { classifyLoginError, describeLoginEnd } from './login-attempt.js';
import { openSqlSession, type Credentials, type SqlSession } from './sql-session.js';

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

interface OpenSession {
  session: SqlSession;
  note: string;
  user: string;
}

/**
 * One logged-in catalog session per target, shared by every check that reads the server's catalog
 * or settings: one login instead of one per check, and a wrong auditor password is tried once, so
 * it cannot lock the auditor. Reads go over TLS (credentials never cross the wire in the clear),
 * each within the target's timeout. Anything that stops a reading (no account, refused login,
 * missing permission, timeout) is a CannotObserve naming the server's code: never a pass.
 */
export class CatalogSession {
  private pending?: Promise<OpenSession>;

  constructor(private readonly target: Target) {}

  private open(): Promise<OpenSession> {
    if (this.pending) return this.pending;
    const target = this.target;
    const account = catalogCredentials(target);
    this.pending = account
      ? withDeadline(target.timeoutMs, 'logging in to read the catalog', (signal) => openSqlSession(target, account.credentials, 'tls', signal, { withoutDatabase: true })).then(
          (session) => ({ session, note: account.note, user: account.credentials.user }),
          (error: unknown) => {
            throw new CannotObserve(`cannot log in as "${account.credentials.user}" to read the catalog: ${describeLoginEnd(classifyLoginError(target, error))}`);
          },
        )
      : Promise.reject(new CannotObserve('no auditor account (or login account with a password) is declared for this target'));
    this.pending.catch(() => undefined);
    return this.pending;
  }

  async read<T>(what: string, read: (session: SqlSession) => Promise<T>): Promise<{ readAs: string; result: T }> {
    const { session, note, user } = await this.open();
    try {
      return { readAs: note, result: await withDeadline(this.target.timeoutMs, `reading ${what}`, () => read(session)) };
    } catch (error) {
      throw new CannotObserve(`cannot read ${what} as "${user}": ${describeLoginEnd(classifyLoginError(this.target, error))}`);
    }
  }

  /** Logs out; a later read logs in again. */
  async close(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    await pending?.then(({ session }) => session.close(), () => undefined);
  }
}
