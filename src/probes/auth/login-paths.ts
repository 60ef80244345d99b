import { endpointOf, DEFAULT_MAX_LOGIN_PATHS, type Target } from '../../targets/target.js';
import { askPostgresToAuthenticate, type ReplicationMode, type StartupEvidence } from '../../sessions/postgres-startup.js';
import type { LoginTransport } from '../../sessions/sql-session.js';
import type { TargetContext } from '../target-context.js';
import { CannotObserve } from '../check.js';
import { workloadAccounts } from '../../targets/declared-accounts.js';
import { Limiter } from '../../util/limiter.js';

/**
 * pg_hba.conf picks the authentication method by connection type, database, user and source
 * address, so an answer about one (user, database) pair says nothing about the others. The login
 * paths are every login role x every database that accepts connections, plus physical and logical
 * replication connections, each over TLS and without: a startup message each, never a password.
 */
export type PathKind = 'database' | 'physical-replication' | 'logical-replication';

export interface LoginPath {
  role: string;
  database: string;
  kind: PathKind;
  transport: LoginTransport;
  /** What the server asked for first: a method ("scram-sha-256", "md5", "none" = let in), a refusal, or no answer. */
  answer: PathAnswer;
}

export type PathAnswer =
  | { kind: 'asked'; method: string; mechanisms?: string[] }
  | { kind: 'refused'; code?: string; message: string }
  | { kind: 'no-answer'; reason: string };

export interface LoginPathMatrix {
  /** Where the role and database lists came from (the auditor's catalog read, or why not). */
  listedFrom: string;
  listProblem?: string;
  roles: string[];
  databases: string[];
  /** Names no server has, so how strangers are treated shows too. */
  madeUp: { role: string; database: string };
  /** The transports whose paths this matrix holds: both, or one half (transport.tls-required needs only the plaintext half). */
  transports: LoginTransport[];
  /** How many startups the matrix of these transports needs, and the bound (which counts both transports, TLS first). */
  planned: number;
  bound: number;
  /** The startups of both transports, which the bound counts: the maxLoginPaths that asks every path. Absent in evidence from before. */
  plannedBothTransports?: number;
  paths: LoginPath[];
}

/** Startups in flight at once: each is a backend process on the server. */
const CONCURRENT_STARTUPS = 4;

/**
 * Names no server should have, the same on every run so that night-over-night reports compare
 * line by line; a server that does have one simply shows it as a real role or database.
 */
const MADE_UP = { role: 'dbcomply_no_such_role', database: 'dbcomply_no_such_database' };

interface PlannedPath {
  role: string;
  database: string;
  kind: PathKind;
  transport: LoginTransport;
  replication?: ReplicationMode;
}

/** Every path to ask, in a fixed order: the target's own database and declared accounts first, so a cut keeps the most relevant. */
export function planLoginPaths(roles: readonly string[], databases: readonly string[], target: Pick<Target, 'database'>): PlannedPath[] {
  const home = target.database && databases.includes(target.database) ? target.database : databases[0];
  const planned: PlannedPath[] = [];
  for (const transport of ['tls', 'plaintext'] as const) {
    for (const role of roles) {
      for (const database of databases) planned.push({ role, database, kind: 'database', transport });
      // pg_hba's "replication" keyword matches physical replication only; the database name is then ignored.
      planned.push({ role, database: 'replication', kind: 'physical-replication', transport, replication: 'true' });
      if (home) planned.push({ role, database: home, kind: 'logical-replication', transport, replication: 'database' });
    }
  }
  return planned;
}

function answerOf(evidence: StartupEvidence): PathAnswer {
  if (evidence.reply?.kind === 'authentication') {
    const request = evidence.reply.request;
    return request.method === 'sasl' ? { kind: 'asked', method: 'sasl', mechanisms: request.mechanisms } : { kind: 'asked', method: request.method };
  }
  if (evidence.reply?.kind === 'error') return answerOfRefusal(evidence.reply.error.code, evidence.reply.error.message ?? '');
  return { kind: 'no-answer', reason: evidence.reason };
}

/**
 * An error before any authentication request. Ident is the exception: the server asks the client
 * host's ident service who is connecting, never the client, and refuses when nobody answers there
 * (as on the harness's host); a client host that runs one is let in as whoever it names. That is
 * authentication without a password, and a path that uses it proceeds without the client's help.
 */
export function answerOfRefusal(code: string | undefined, message: string): PathAnswer {
  if (code === '28000' && IDENT_FAILURE.test(message)) return { kind: 'asked', method: 'ident' };
  return { kind: 'refused', code, message };
}

const IDENT_FAILURE = /^Ident authentication failed for user/;

async function listRolesAndDatabases(context: TargetContext): Promise<{ roles: string[]; databases: string[]; listedFrom: string; listProblem?: string }> {
  const { target } = context;
  try {
    const roles = await context.catalog.read('the login roles', (session) => session.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname !~ '^pg_' ORDER BY rolname"));
    const databases = await context.catalog.read('the databases that accept connections', (session) =>
      session.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datallowconn ORDER BY datname'),
    );
    return { roles: roles.result.map((row) => row.rolname), databases: databases.result.map((row) => row.datname), listedFrom: roles.readAs };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    const fallbackRoles = [...new Set([...(target.user ? [target.user] : []), ...workloadAccounts(target), 'postgres'])];
    const fallbackDatabases = [...new Set([target.database ?? 'postgres', 'postgres'])];
    return { roles: fallbackRoles, databases: fallbackDatabases, listedFrom: `not listed (${problem}); asked the declared accounts and databases only`, listProblem: problem };
  }
}

const BOTH_TRANSPORTS: readonly LoginTransport[] = ['tls', 'plaintext'];

/** The roles and databases to ask about, listed once per run for every half of the matrix. */
interface PathNames {
  roles: string[];
  databases: string[];
  listedFrom: string;
  listProblem?: string;
}

function pathNames(context: TargetContext): Promise<PathNames> {
  return context.once('login-path-names', async () => {
    const { target } = context;
    const listed = await listRolesAndDatabases(context);
    return {
      ...listed,
      roles: [...new Set([...(target.user ? [target.user] : []), ...listed.roles, MADE_UP.role])],
      databases: [...new Set([...(target.database ? [target.database] : []), ...listed.databases, MADE_UP.database])],
    };
  });
}

/**
 * Every planned path over both transports, each asked at most once per run whichever half or
 * witness asks for it first, through one set of startup slots per target.
 */
function askPath(context: TargetContext, path: PlannedPath): Promise<LoginPath> {
  const { replication, ...shown } = path;
  return context.once(`login-path:${JSON.stringify([path.transport, path.kind, path.role, path.database])}`, async () => {
    const slots = await context.once('login-path-slots', async () => new Limiter(CONCURRENT_STARTUPS));
    return slots.run(async () => {
      if (context.closed.aborted) return { ...shown, answer: { kind: 'no-answer', reason: "the target's run ended before this path was asked" } };
      const { target } = context;
      const evidence = await askPostgresToAuthenticate(endpointOf(target), { user: path.role, database: path.database, transport: path.transport, host: target.host, replication });
      return { ...shown, answer: answerOf(evidence) };
    });
  });
}

/** The paths the bound lets us ask, and how many were planned, for the given transports. */
async function plannedPaths(context: TargetContext, transports: readonly LoginTransport[]): Promise<{ names: PathNames; plan: PlannedPath[]; asked: PlannedPath[]; bound: number; whole: number }> {
  const names = await pathNames(context);
  const full = planLoginPaths(names.roles, names.databases, context.target);
  const bound = context.target.maxLoginPaths ?? DEFAULT_MAX_LOGIN_PATHS;
  // The bound cuts the plan of both transports, so a half holds exactly the paths the whole matrix would.
  const asked = full.slice(0, bound).filter((path) => transports.includes(path.transport));
  return { names, plan: full.filter((path) => transports.includes(path.transport)), asked, bound, whole: full.length };
}

/**
 * Asks every planned path of `transports` (both by default), a few at a time, each bounded by the
 * target's timeout; stops at the bound. Each half is made once per run and the whole matrix is
 * the two halves, so a run that needs only one (transport.tls-required) asks half the startups.
 */
export function mapLoginPaths(context: TargetContext, transports: readonly LoginTransport[] = BOTH_TRANSPORTS): Promise<LoginPathMatrix> {
  const key = transports.length === BOTH_TRANSPORTS.length ? 'login-paths' : `login-paths:${transports.join('+')}`;
  return context.once(key, async () => {
    const { names, plan, asked, bound, whole } = await plannedPaths(context, transports);
    // Shared by several checks, so no one check's deadline stops it; the end of the target's run does.
    const paths = await Promise.all(asked.map((path) => askPath(context, path)));
    if (context.closed.aborted) throw new CannotObserve(`the target's run ended before all ${asked.length} login paths were asked`);
    return { listedFrom: names.listedFrom, listProblem: names.listProblem, roles: names.roles, databases: names.databases, madeUp: MADE_UP, transports: [...transports], planned: plan.length, bound, plannedBothTransports: whole, paths };
  });
}

/**
 * The login paths over TLS asked in the plan's order until one proceeds to authentication (usually
 * the first: the declared account to its own database). It shows that a plaintext refusal is about
 * transport, not the account, without asking every TLS path as the whole matrix does.
 */
export async function firstTlsPathThatProceeds(context: TargetContext): Promise<LoginPath[]> {
  const { asked } = await plannedPaths(context, ['tls']);
  const tried: LoginPath[] = [];
  for (const path of asked) {
    if (context.closed.aborted) break;
    const answered = await askPath(context, path);
    tried.push(answered);
    if (answered.answer.kind === 'asked') break;
  }
  return tried;
}

/** "app@sales (database, plaintext)" for reasons and evidence. */
export function describePath(path: Pick<LoginPath, 'role' | 'database' | 'kind' | 'transport'>): string {
  const where = path.kind === 'physical-replication' ? 'physical replication' : path.kind === 'logical-replication' ? `${path.database}, logical replication` : path.database;
  return `${path.role}@${where} over ${path.transport}`;
}

/**
 * Whether a refusal is the server's authentication rules speaking: SQLSTATE 28000 (invalid
 * authorization specification) worded as pg_hba's own refusals, no line matched, a reject line, a
 * client certificate missing. Any other refusal before authentication says nothing about the
 * path's rules: a full server (53300 "too many clients"), one starting up or shutting down (57P03),
 * a protocol complaint, or a method that failed on the server's side (such as a failed ident lookup
 * on a server whose lc_messages is not English). Counted as a refusal, it would hide a trust
 * or MD5 line behind the load.
 */
export function refusedByRules(answer: PathAnswer, asked?: Pick<LoginPath, 'role' | 'database'>): boolean {
  if (answer.kind !== 'refused' || answer.code !== '28000') return false;
  // The names the path asked for are cut out where the message quotes them: a role named
  // `x pg_hba.conf`, refused for another reason in a message that quotes its name, must not pass
  // for pg_hba's refusal. Only quoted ones: a role named `pg` must not cut the file's name itself.
  const ownWords = [asked?.role, asked?.database].filter((name): name is string => !!name).reduce(withoutQuoted, answer.message);
  // The file's name stays as it is in every translation of pg_hba's two refusals, and no other
  // message a client receives names it (checked against PostgreSQL 15's 11 message catalogs): so
  // a server whose lc_messages is German or Japanese is read as well as an English one.
  return ownWords.includes('pg_hba.conf') || CERTIFICATE_REFUSALS.some((wording) => wording.test(ownWords));
}

/** Quotation marks the server's message catalogs put around names ("", »«, « », 「」 and the like). */
const QUOTE = `["'«»“”„‚‘’「」]`;

/** The message with every quoted occurrence of `name` emptied, the quotation marks kept. */
function withoutQuoted(message: string, name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message.replace(new RegExp(`(${QUOTE}\\s?)${escaped}(\\s?${QUOTE})`, 'gu'), '$1$2');
}

/** Refusals for a missing or failed client certificate (pg_hba's clientcert, cert method); English only. */
const CERTIFICATE_REFUSALS = [/^connection requires a valid client certificate\b/, /^certificate authentication failed\b/];

/** What every judgement over the matrix must say first: what was covered, or why the coverage is incomplete. */
export function coverageOf(matrix: LoginPathMatrix): { complete: boolean; summary: string; problem?: string } {
  const silent = matrix.paths.filter((path) => path.answer.kind === 'no-answer');
  const refusedOtherwise = matrix.paths.filter((path) => path.answer.kind === 'refused' && !refusedByRules(path.answer, path));
  const summary = `${matrix.paths.length} login paths asked (${matrix.roles.length} roles x ${matrix.databases.length} databases incl. a made-up role and database, plus physical and logical replication, ${describeTransports(matrix.transports)}, from this host's address: pg_hba lines for other client addresses cannot be seen from here)`;
  if (matrix.listProblem) return { complete: false, summary, problem: `the login roles and databases could not be listed: ${matrix.listProblem}` };
  if (matrix.paths.length < matrix.planned) return { complete: false, summary, problem: `only ${matrix.paths.length} of ${matrix.planned} login paths were asked (maxLoginPaths ${matrix.bound}); the rest are unknown${matrix.plannedBothTransports ? `: to ask them all, give this target maxLoginPaths: ${matrix.plannedBothTransports} in the config file (on a --target URL: ?max-login-paths=${matrix.plannedBothTransports})` : ''}` };
  if (silent.length > 0) return { complete: false, summary, problem: `${silent.length} login paths got no answer (first: ${describePath(silent[0])}: ${(silent[0].answer as { reason: string }).reason})` };
  if (refusedOtherwise.length > 0) {
    const first = refusedOtherwise[0].answer as Extract<PathAnswer, { kind: 'refused' }>;
    return {
      complete: false,
      summary,
      problem: `${refusedOtherwise.length} login paths were refused for a reason that is not an authentication rule, so what their rules allow is unknown (first: ${describePath(refusedOtherwise[0])}: ${first.code ?? 'no SQLSTATE'} ${first.message})`,
    };
  }
  return { complete: true, summary };
}

function describeTransports(transports: readonly LoginTransport[]): string {
  if (transports.includes('tls') && transports.includes('plaintext')) return 'over TLS and without';
  return transports.includes('tls') ? 'over TLS' : 'without TLS';
}

/** The answer in a few words: "sasl (SCRAM-SHA-256)", "md5", "none", "refused 28000", "no answer". */
export function describeAnswer(answer: PathAnswer): string {
  if (answer.kind === 'asked') return answer.mechanisms ? `${answer.method} (${answer.mechanisms.join(', ')})` : answer.method;
  if (answer.kind === 'refused') return `refused${answer.code ? ` ${answer.code}` : ''}`;
  return 'no answer';
}

/**
 * A refusal as the report groups it: with the server's own words, the quoted host, user and
 * database elided so that paths refused by one rule share a group. The words are what the judge
 * reads to tell a pg_hba rule from any other refusal (a full server, a failed ident lookup), so
 * an auditor must see them too, not the SQLSTATE alone.
 */
function groupOfAnswer(answer: PathAnswer): string {
  if (answer.kind !== 'refused' || !answer.message) return describeAnswer(answer);
  return `${describeAnswer(answer)}: ${answer.message.replace(/"[^"]*"/g, '"…"')}`;
}

/** The matrix as the report shows it: paths grouped by the answer they got, so hundreds of rows stay readable. */
export function matrixByAnswer(matrix: LoginPathMatrix): object {
  const groups: Record<string, string[]> = {};
  for (const path of matrix.paths) (groups[groupOfAnswer(path.answer)] ??= []).push(describePath(path));
  const { paths: _paths, ...rest } = matrix;
  return { ...rest, asked: matrix.paths.length, pathsByAnswer: groups };
}

/** At most this many offenders are named in a reason; the evidence lists all. */
export function listSome(items: readonly string[], limit = 8): string {
  return items.length <= limit ? items.join('; ') : `${items.slice(0, limit).join('; ')}; and ${items.length - limit} more`;
}
