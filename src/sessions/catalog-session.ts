import { AsyncLocalStorage } from 'node:async_hooks';
import { readFile } from 'node:fs/promises';
import { CannotObserve } from '../controls/observation.js';
import { accountPasswordFor, passwordFor } from '../targets/secret-store.js';
import type { Target } from '../targets/target.js';
import { DeadlineExceeded, withDeadline } from '../util/deadline.js';
import { describeAuthority } from '../probes/identity/entra-authority.js';
import { EntraTokenSource } from '../probes/identity/entra-token-source.js';
import { classifyLoginError, describeLoginEnd, type LoginOutcome } from './login-attempt.js';
import { openSqlSession, type Credentials, type SessionOptions, type SqlSession } from './sql-session.js';

/** Whom the catalog session logs in as: an account with its password, or the Entra principal with a token. */
export type CatalogAccount =
  | { kind: 'password'; credentials: Credentials; note: string }
  /** The token is acquired when the session opens; the note then also names who issued it, and why a token. */
  | { kind: 'entra-token'; user: string; note: string; because: string };

/**
 * Whom the catalog session tries, in order: the declared auditor with its password, else the login
 * account with its password; then the declared Entra principal with a token. A password wins
 * where one exists (the auditor is the account meant for reading, and runs that have its password
 * keep reading as it). The token is the way in on an Entra-only server, where no account has a
 * password, and where the one password to hand is refused (the server refuses local passwords):
 * trying the token after that refusal costs no second password attempt, so nothing gets locked.
 */
export function catalogAccounts(target: Target): CatalogAccount[] {
  const accounts: CatalogAccount[] = [];
  const auditorPassword = target.auditor ? accountPasswordFor(target.name, target.auditor) : undefined;
  const loginPassword = passwordFor(target.name);
  if (target.auditor && auditorPassword !== undefined) {
    accounts.push({ kind: 'password', credentials: { user: target.auditor, password: auditorPassword }, note: `read as the declared auditor "${target.auditor}"` });
  } else if (target.user && loginPassword !== undefined) {
    accounts.push({ kind: 'password', credentials: { user: target.user, password: loginPassword }, note: `read as the login account "${target.user}" (no auditor account declared)` });
  }
  if (target.entra) {
    const because = target.auditor || target.user ? 'no password for the declared accounts' : 'no password-based account declared';
    accounts.push({ kind: 'entra-token', user: target.entra.user, note: `read as the Entra principal "${target.entra.user}" with a token`, because });
  }
  return accounts;
}

/** The account the catalog session tries first; undefined when the target declares none it can log in as. */
export function catalogCredentials(target: Target): CatalogAccount | undefined {
  return catalogAccounts(target)[0];
}

/**
 * The drivers' words for a server that answered the TLS request with "no TLS here": PostgreSQL's
 * 'N' to the SSLRequest (node-postgres), a MySQL greeting without CLIENT_SSL (mysql2).
 */
function serverOffersNoTls(error: unknown): boolean {
  const failure = error as { code?: unknown; message?: unknown };
  return failure?.code === 'HANDSHAKE_NO_SSL_SUPPORT' || (typeof failure?.message === 'string' && /^The server does not support SSL connections$/.test(failure.message));
}

/** The server said no to this account (not: did not answer): the next account may still get in. */
class CatalogLoginRefused extends CannotObserve {}
const REFUSALS = new Set<LoginOutcome>(['refused-by-authentication', 'refused-by-policy', 'locked']);

interface OpenSession {
  session: SqlSession;
  note: string;
  user: string;
  /** The account that got in, with the refusals before it as its reason, for the sessions in other databases. */
  account: CatalogAccount;
}

/**
 * One logged-in catalog session per target, shared by every check that reads the server's catalog
 * or settings: one login instead of one per check, and a wrong auditor password is tried once, so
 * it cannot lock the auditor. Reads go over TLS (credentials never cross the wire in the clear),
 * each within the target's timeout. Anything that stops a reading (no account, no token, refused
 * login, missing permission, timeout) is a CannotObserve naming the server's code: never a pass.
 *
 * With a token, the server certificate is verified (the target's CA file, else Node's store) and
 * the token is sent only as a cleartext password inside TLS, as Azure expects: a token is a bearer
 * credential, so a server that cannot prove who it is never receives one. The token comes from
 * `tokens`, shared with auth.entra-token and the sessions in other databases.
 */
export class CatalogSession {
  private pending?: Promise<OpenSession>;
  /** Settles when the read now holding the session is done (or out of time): the next read starts then. */
  private turn: Promise<void> = Promise.resolve();
  /**
   * A login the server refused for every account: kept through close(), so that a read after the
   * run (the configuration comparison's) does not send the refused password again. Each try is one
   * more failed login on the server, which may lock the auditor or throttle the address.
   */
  private refused?: Promise<OpenSession>;
  /** Counts close(): a read asked before a close that gets its turn after it does not log in again. */
  private closings = 0;
  /** Sessions given up by a read that ran out of time, still saying goodbye: close() waits for them. */
  private readonly givenUp = new Set<Promise<void>>();

  constructor(
    private readonly target: Target,
    private readonly tokens: EntraTokenSource = new EntraTokenSource(target),
    /** Whom to try, when another session already found out (a session in another database). */
    private readonly accountsToTry: () => Promise<CatalogAccount[]> = async () => catalogAccounts(target),
  ) {}

  /**
   * A session in another database, as the account this one got in with (once it has): a password
   * this session saw refused is not tried again in every other database, each one more failed
   * login on the server. It shares this one's Entra token.
   */
  inDatabase(database: string): CatalogSession {
    const target = { ...this.target, database };
    return new CatalogSession(target, this.tokens, () => this.accountInUse(target));
  }

  private async accountInUse(target: Target): Promise<CatalogAccount[]> {
    const pending = this.pending;
    const open = pending ? await pending.catch(() => undefined) : undefined;
    return open ? [open.account] : catalogAccounts(target);
  }

  private open(): Promise<OpenSession> {
    if (this.pending) return this.pending;
    const pending = this.accountsToTry().then((accounts) =>
      accounts.length > 0 ? this.logInAsFirstOf(accounts) : Promise.reject(new CannotObserve('no auditor account (or login account with a password, or Entra principal) is declared for this target')),
    );
    this.pending = pending;
    pending.catch((error: unknown) => {
      if (error instanceof CatalogLoginRefused) this.refused = pending;
    });
    return pending;
  }

  /**
   * Each account in turn, while the server refuses them (a refusal, not a timeout or an unreachable
   * server: the next login would end the same way). Refusals before the one that got in are named
   * in the note; when all are refused, the reason names each.
   */
  private async logInAsFirstOf(accounts: CatalogAccount[]): Promise<OpenSession> {
    const refusals: string[] = [];
    for (const [index, account] of accounts.entries()) {
      try {
        return await this.logIn(account, refusals);
      } catch (error) {
        const last = index === accounts.length - 1;
        if (error instanceof CatalogLoginRefused && !last) {
          refusals.push(error.message);
          continue;
        }
        if (refusals.length > 0 && error instanceof Error) {
          const message = `${refusals.join('; ')}; and ${error.message}`;
          throw error instanceof CatalogLoginRefused ? new CatalogLoginRefused(message) : new CannotObserve(message);
        }
        throw error;
      }
    }
    throw new CannotObserve('no account to read the catalog as');
  }

  private async logIn(account: CatalogAccount, earlierRefusals: string[]): Promise<OpenSession> {
    const target = this.target;
    let credentials: Credentials;
    let note = account.note;
    let options: SessionOptions = { withoutDatabase: true };
    if (account.kind === 'password') {
      credentials = account.credentials;
    } else {
      const authority = await describeAuthority(target.entra!);
      const { evidence, token } = await this.tokens.acquire(target.timeoutMs);
      if (evidence.outcome !== 'acquired' || token === undefined) {
        const why = evidence.outcome === 'acquired' ? 'no token returned' : evidence.reason;
        throw new CannotObserve(`cannot get a token for the Entra principal "${account.user}" from ${authority.label} with ${evidence.credential} to read the catalog: ${why}`);
      }
      credentials = { user: account.user, password: token };
      const because = earlierRefusals.length > 0 ? earlierRefusals.join('; ').replace(/^cannot/, 'could not') : account.because;
      note = `${account.note} from ${authority.label} (${because})`;
      account = { ...account, because };
      const ca = target.caFile ? await readFile(target.caFile, 'utf8') : undefined;
      options = { ...options, verifiedTls: { ca }, cleartext: 'over-tls' };
    }
    try {
      const session = await withDeadline(target.timeoutMs, 'logging in to read the catalog', (signal) => openSqlSession(target, credentials, 'tls', signal, options));
      return { session, note, user: credentials.user, account };
    } catch (error) {
      // Not a login problem: the password was never sent, and no other account would fare better.
      if (serverOffersNoTls(error)) {
        throw new CannotObserve(
          `cannot read the catalog as "${credentials.user}": the server offers no TLS, and the catalog is read only over TLS so that no password or token crosses the network in the clear (the password was not sent)`,
        );
      }
      const how = account.kind === 'entra-token' ? ' with an Entra token (server certificate verified)' : ' with its password';
      const end = classifyLoginError(target, error);
      const message = `cannot log in as "${credentials.user}"${how} to read the catalog: ${describeLoginEnd(end)}`;
      throw REFUSALS.has(end.outcome) ? new CatalogLoginRefused(message) : new CannotObserve(message);
    }
  }

  /**
   * One read at a time, each given the whole timeout from when it has the session. Every check
   * starts at once and one connection runs one query at a time, so a deadline started at the call
   * would count the wait behind every other check's reads: on a slow or busy server, the last
   * reads of a target ran out of time before they were sent (undecided, "did not finish within
   * 5000 ms"). The login, when one is needed, is made in the read's turn, within its own timeout.
   *
   * A read that runs out of time gives the connection up: its query is still there, and every read
   * after it would queue behind it in the driver and run out of time in turn, one timeout each
   * (a stalled backend held a target's reads up for a timeout per read). The next read logs in
   * again; when that login runs out of time too, the reads after it end at once (a failed login is
   * kept). A read asked before close() whose turn comes after it ends undecided: it does not log
   * in again after the run has let its sessions go.
   */
  async read<T>(what: string, read: (session: SqlSession) => Promise<T>): Promise<{ readAs: string; result: T }> {
    const outer = readingNow.getStore() ?? [];
    if (outer.includes(this)) throw new Error(`reading ${what} was asked from inside another read of the same catalog session, which holds the turn it would wait for: use the session the outer read was given`);
    const closings = this.closings;
    const ahead = this.turn;
    let release!: () => void;
    this.turn = new Promise((resolve) => (release = resolve));
    try {
      await ahead;
      if (closings !== this.closings) throw new CannotObserve(`cannot read ${what}: the catalog session was closed (the target's run ended) before this read had its turn`);
      const opening = this.open();
      const { session, note, user } = await opening;
      try {
        return { readAs: note, result: await withDeadline(this.target.timeoutMs, `reading ${what}`, () => readingNow.run([...outer, this], () => read(session))) };
      } catch (error) {
        if (error instanceof DeadlineExceeded) this.giveUp(opening);
        const hint = isPermissionDenied(error) && !this.target.auditor ? `; no auditor account is declared for this target: declare one that may read the catalog (auditor: in the config file, see the README)` : '';
        throw new CannotObserve(`cannot read ${what} as "${user}": ${describeLoginEnd(classifyLoginError(this.target, error))}${hint}`);
      }
    } finally {
      release();
    }
  }

  /** Lets go of a session whose read ran out of time (unless it is gone already): the next read logs in again. */
  private giveUp(opening: Promise<OpenSession>): void {
    if (this.pending !== opening) return;
    this.pending = undefined;
    const goodbye = opening.then(({ session }) => session.close(), () => undefined).finally(() => this.givenUp.delete(goodbye));
    this.givenUp.add(goodbye);
  }

  /** Logs out; a read asked after this logs in again. */
  async close(): Promise<void> {
    this.closings += 1;
    const pending = this.pending;
    this.pending = this.refused;
    await Promise.all([pending?.then(({ session }) => session.close(), () => undefined), ...this.givenUp]);
  }
}

/**
 * The catalog sessions whose read the running code is inside. A read of the same session from
 * inside one of its reads would wait for its turn behind the read that waits for it, until that one
 * ran out of time: it is refused at once instead (pass the session on, or read after the read).
 */
const readingNow = new AsyncLocalStorage<readonly CatalogSession[]>();

/** MySQL's access-denied errors for tables, columns, routines, databases and privileges. */
const MYSQL_PERMISSION_ERRNOS = new Set([1044, 1142, 1143, 1227, 1370]);

/** A read refused for want of a privilege (PostgreSQL 42501, or MySQL's access-denied family), not a broken session. */
export function isPermissionDenied(error: unknown): boolean {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  return code === '42501' || (typeof errno === 'number' && MYSQL_PERMISSION_ERRNOS.has(errno));
}
