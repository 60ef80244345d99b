import { createHash, randomBytes } from 'node:crypto';
import { defineCheck, CannotObserve } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { accountPasswordFor, passwordFor } from '../../targets/secret-store.js';
import type { Target } from '../../targets/target.js';
import { withDeadline } from '../../util/deadline.js';
import { classifyLoginError, describeLoginEnd, matchedAccountText } from '../../sessions/login-attempt.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import type { TargetContext } from '../target-context.js';
import { withSqlSession, type Credentials, type SqlSession } from '../../sessions/sql-session.js';

/** Enough rows to see whether masking holds, few enough to stay quick on a big table. */
const SAMPLE_ROWS = 1000;
/** PostgreSQL insufficient_privilege; MySQL table or column access denied. */
const DENIED_CODES = new Set(['42501', '1142', '1143']);

type ColumnReading = ({ outcome: 'read'; values: string[] } | { outcome: 'denied'; serverCode: string }) & { rolesTried?: string[]; matchedAccount?: string };

export interface ColumnComparison {
  column: string;
  ownerRows: number;
  masked: 'denied' | { rows: number; rawValuesSeen: number; rawValueHashes: string[] };
  /** MySQL: the roles the masked account was also read under (SET ROLE), beside its default ones. */
  rolesTried?: string[];
}

const quote = (engine: Target['engine'], identifier: string) =>
  engine === 'postgres' ? `"${identifier.replaceAll('"', '""')}"` : `\`${identifier.replaceAll('`', '``')}\``;

export interface MaskingEvidence {
  maskedRole: string;
  owner: string;
  sampleRows: number;
  comparisons: ColumnComparison[];
  hashing: string;
  /**
   * MySQL: the accounts of the masked role's user name the catalog lists ('user'@'host', not locked),
   * and the one its logins here were let in as: a login from another host may be let in as another,
   * whose reads were not made. A string: the catalog could not be read. Absent in evidence from before.
   */
  maskedAccounts?: { listed: readonly string[]; readAs: string; readAsAccount?: string } | string;
}

/**
 * access.masking: the declared masked role reads each declared sensitive column, and so does the
 * owner (the login account); any raw value the masked role sees fails the control. Values never
 * reach the evidence: leaks are shown as salted SHA-256 prefixes, with a salt new every run.
 */
export const masking = defineCheck<MaskingEvidence>({
  id: 'access.masking',
  evidenceTitle: 'masked and raw reads compared',
  async read(context) {
    const { target } = context;
    const declared = target.masking;
    if (!declared) throw new CannotObserve('no masked role and sensitive columns are declared for this target');
    const ownerPassword = passwordFor(target.name);
    const maskedPassword = accountPasswordFor(target.name, declared.role);
    if (!target.user || ownerPassword === undefined) throw new CannotObserve('the owner (login) account has no password to read the raw values with');
    if (maskedPassword === undefined) throw new CannotObserve(`the masked role "${declared.role}" has no password declared (masking.passwordEnv)`);
    const owner = { user: target.user, password: ownerPassword };
    const masked = { user: declared.role, password: maskedPassword };
    const salt = randomBytes(16);
    const fingerprint = (value: string) => createHash('sha256').update(salt).update(value).digest('hex').slice(0, 16);
    const comparisons: ColumnComparison[] = [];
    const matchedAccounts = new Set<string>();
    for (const column of declared.columns) {
      const raw = await readColumn(target, owner, column);
      if (raw.outcome === 'denied') throw new CannotObserve(`the owner "${owner.user}" may not read ${column} [${raw.serverCode}], so there is nothing to compare with`);
      if (raw.values.length === 0) throw new CannotObserve(`${column} holds no values to compare`);
      const seen = await readColumn(target, masked, column, { underEveryRole: true });
      const roles = seen.rolesTried ? { rolesTried: seen.rolesTried } : {};
      if (seen.matchedAccount) matchedAccounts.add(seen.matchedAccount);
      if (seen.outcome === 'denied') {
        comparisons.push({ column, ownerRows: raw.values.length, masked: 'denied', ...roles });
        continue;
      }
      const rawValues = new Set(raw.values);
      const leaked = [...new Set(seen.values.filter((value) => rawValues.has(value)))];
      comparisons.push({ column, ownerRows: raw.values.length, masked: { rows: seen.values.length, rawValuesSeen: leaked.length, rawValueHashes: leaked.slice(0, 10).map(fingerprint) }, ...roles });
    }
    const maskedAccounts = target.engine === 'mysql' ? await listMaskedAccounts(context, declared.role, [...matchedAccounts]) : undefined;
    return { maskedRole: declared.role, owner: owner.user, sampleRows: SAMPLE_ROWS, comparisons, hashing: 'salted SHA-256, first 16 hex digits; the salt is random per run', ...(maskedAccounts ? { maskedAccounts } : {}) };
  },
  judge({ maskedRole, comparisons, maskedAccounts }) {
    const leaks = comparisons.filter((comparison) => comparison.masked !== 'denied' && comparison.masked.rawValuesSeen > 0);
    if (leaks.length > 0) return failed(`the masked role "${maskedRole}" reads raw values of ${leaks.map((leak) => leak.column).join(', ')}`);
    if (comparisons.length === 0) return undecided('no sensitive column was compared');
    if (typeof maskedAccounts === 'string') return undecided(`the masked role "${maskedRole}" was read as one account, but whether it has others at other hosts could not be read: ${maskedAccounts}`);
    if (maskedAccounts) {
      const { listed, readAs, readAsAccount } = maskedAccounts;
      if (readAsAccount === undefined || !listed.includes(readAsAccount)) {
        return undecided(`the reads as "${maskedRole}" were let in as ${readAsAccount ?? 'more than one account'}, which is not among the accounts the catalog lists for "${maskedRole}" (${listed.length > 0 ? listed.join(', ') : 'none'}; ${readAs})`);
      }
      const others = listed.filter((account) => account !== readAsAccount);
      if (others.length > 0) {
        return undecided(
          `"${maskedRole}" is ${listed.length} accounts (${listed.join(', ')}), and which one a login is let in as depends on the host it comes from: the reads here were made as ${readAsAccount}, so what ${others.join(', ')} may read was not seen (${readAs})`,
        );
      }
    }
    const accountNote = maskedAccounts ? `; its logins were let in as ${maskedAccounts.readAsAccount}, the only account of that user name in the catalog (${maskedAccounts.readAs})` : '';
    return passed(
      `the masked role "${maskedRole}" sees none of the raw values of ${comparisons.map((c) => `${c.column} (${c.ownerRows} owner rows; ${c.masked === 'denied' ? 'access denied' : `${c.masked.rows} rows read, all masked`}${rolesNote(c.rolesTried)})`).join('; ')}${accountNote}`,
    );
  },
});

const rolesNote = (roles: string[] | undefined) =>
  roles === undefined ? '' : roles.length === 0 ? '; it holds no role to SET' : `; also under each of its roles: ${roles.join(', ')}`;

/**
 * Reads one column as `account`. With `underEveryRole` on MySQL/MariaDB, also under each role the
 * account may SET (a granted role that is not a default one is one statement away), and the reads
 * are pooled: the column counts as read when any of them returns rows.
 */
async function readColumn(target: Target, account: Credentials, column: string, options: { underEveryRole?: boolean } = {}): Promise<ColumnReading> {
  const [schema, table, name] = column.split('.');
  const q = (identifier: string) => quote(target.engine, identifier);
  const sql = `SELECT ${q(name)} AS value FROM ${q(schema)}.${q(table)} LIMIT ${SAMPLE_ROWS}`;
  try {
    return await withDeadline(target.timeoutMs * 2, `reading ${column} as ${account.user}`, (signal) =>
      withSqlSession(target, account, 'tls', signal, { withoutDatabase: true }, async (session) => {
        const readOnce = async (): Promise<ColumnReading> => {
          try {
            const rows = await session.query<{ value: unknown }>(sql);
            return { outcome: 'read', values: rows.map((row) => row.value).filter((value) => value !== null && value !== undefined).map(String) };
          } catch (error) {
            const end = classifyLoginError(target, error);
            if (end.serverCode && DENIED_CODES.has(end.serverCode)) return { outcome: 'denied', serverCode: end.serverCode };
            throw error;
          }
        };
        const readings = [await readOnce()];
        // The account the login was let in as: another host may be let in as another account of the same name.
        const matchedAccount = target.engine === 'mysql' ? matchedAccountText((await session.query<{ me: string }>('SELECT CURRENT_USER() AS me'))[0].me) : undefined;
        let rolesTried: string[] | undefined;
        if (options.underEveryRole && target.engine === 'mysql') {
          rolesTried = await settableRoles(session);
          for (const role of rolesTried) {
            await session.query(`SET ROLE ${q(role)}`);
            readings.push(await readOnce());
          }
        }
        const read = readings.filter((reading): reading is Extract<ColumnReading, { outcome: 'read' }> => reading.outcome === 'read');
        const pooled: ColumnReading = read.length > 0 ? { outcome: 'read', values: read.flatMap((reading) => reading.values) } : readings[0];
        return { ...pooled, ...(rolesTried ? { rolesTried } : {}), ...(matchedAccount ? { matchedAccount } : {}) };
      }),
    );
  } catch (error) {
    const end = classifyLoginError(target, error);
    throw new CannotObserve(`cannot read ${column} as "${account.user}": ${describeLoginEnd(end)}`);
  }
}

/**
 * The roles granted to the session's account itself, which SET ROLE accepts (a role granted to one
 * of them comes with it). MariaDB names the grantee user@host in APPLICABLE_ROLES as CURRENT_USER()
 * does; MySQL 8 splits it into GRANTEE and GRANTEE_HOST.
 */
async function settableRoles(session: SqlSession): Promise<string[]> {
  const [{ me }] = await session.query<{ me: string }>('SELECT CURRENT_USER() AS me');
  const rows = await session.query<Record<string, string>>('SELECT * FROM information_schema.APPLICABLE_ROLES');
  const grantee = (row: Record<string, string>) => (row.GRANTEE_HOST === undefined ? row.GRANTEE : `${row.GRANTEE}@${row.GRANTEE_HOST}`);
  return [...new Set(rows.filter((row) => grantee(row) === me).map((row) => row.ROLE_NAME))].sort();
}

/**
 * MySQL: every account of the masked role's user name, from the catalog, and the one(s) the reads
 * were let in as. The catalog's problem, when it cannot be read, is returned as the reason.
 */
async function listMaskedAccounts(context: TargetContext, user: string, matched: string[]): Promise<MaskingEvidence['maskedAccounts']> {
  try {
    const { readAs, result } = await context.catalog.read('the accounts', readMysqlAccounts);
    const listed = result.filter((account) => account.user === user && !account.isRole && !account.locked).map(accountName);
    return { listed, readAs, ...(matched.length === 1 ? { readAsAccount: matched[0] } : {}) };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
