import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { TargetContext } from '../target-context.js';
import type { TransportAttempt } from './transport-attempt.js';
import { coverageOf, describeAnswer, describePath, firstTlsPathThatProceeds, listSome, mapLoginPaths, matrixByAnswer, type LoginPath, type LoginPathMatrix } from '../auth/login-paths.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';

/** MySQL and MariaDB: the server-wide switch, and the accounts that would be let in without TLS were it off. */
export type ServerWideTlsRequirement =
  | { readAs: string; requireSecureTransport: string; accountsWithoutTlsRequirement: string[] }
  | { problem: string };

export type TlsRequiredEvidence =
  | {
      engine: 'postgres';
      /** Every login path without TLS. */
      matrix: LoginPathMatrix;
      /** Paths over TLS, asked in order until one proceeded: the witness that a refusal is about transport. */
      overTls: LoginPath[];
    }
  | { engine: 'mysql'; plaintext: TransportAttempt; overTls: TransportAttempt; serverWide: ServerWideTlsRequirement };

/**
 * A plaintext refusal proves TLS is required only when the same account gets through over TLS:
 * otherwise it may be a refusal of the account itself (MariaDB answers a plaintext login under
 * require_secure_transport with the same "Access denied" as a wrong password).
 */
export function judgeTlsRequired(plaintext: TransportAttempt, overTls: TransportAttempt): Judgement {
  if (plaintext.outcome === 'proceeds') return failed(`without TLS, ${plaintext.description}`);
  if (plaintext.outcome === 'undecided') return undecided(`the plaintext attempt was inconclusive: ${plaintext.description}`);
  if (overTls.outcome !== 'proceeds') {
    return undecided(`plaintext was refused (${plaintext.description}), but so was TLS (${overTls.description}), so the refusal may not be about transport`);
  }
  return passed(`refused without TLS (${plaintext.description}); accepted over TLS (${overTls.description})`);
}

/**
 * MySQL: the application account's plaintext login must be refused while TLS works, and the
 * server must refuse plaintext for everyone (require_secure_transport = ON): an account without
 * REQUIRE SSL, or one created tomorrow, may otherwise log in in plaintext. Azure's control is
 * exactly that server parameter.
 */
function judgeMysql({ plaintext, overTls, serverWide }: Extract<TlsRequiredEvidence, { engine: 'mysql' }>): Judgement {
  const probed = judgeTlsRequired(plaintext, overTls);
  if (probed.verdict === 'failed') return probed;
  // A server that offers no TLS cannot require it, whatever became of our own plaintext login
  // (refused as a wrong password, or as an account this host does not match).
  if (overTls.tlsNotOffered) {
    return failed(`the server offers no TLS at all (${overTls.description}), so every login travels in plaintext; our plaintext login: ${plaintext.description}`);
  }
  if ('problem' in serverWide) return undecided(`${probed.reason}; but require_secure_transport could not be read, so other accounts are unknown: ${serverWide.problem}`);
  if (serverWide.requireSecureTransport.toUpperCase() !== 'ON') {
    const open = serverWide.accountsWithoutTlsRequirement;
    return failed(
      `require_secure_transport is ${serverWide.requireSecureTransport}: ` +
        (open.length > 0 ? `these accounts may log in without TLS: ${listSome(open)}` : 'every account requires TLS today, but any account created without REQUIRE SSL would not'),
    );
  }
  if (probed.verdict !== 'passed') return probed;
  return passed(`${probed.reason}; require_secure_transport is ON, so no account may log in without TLS (${serverWide.readAs})`);
}

/** PostgreSQL: every login path without TLS is refused before authentication, while a path over TLS proceeds. */
function judgePostgres({ matrix, overTls }: Extract<TlsRequiredEvidence, { engine: 'postgres' }>): Judgement {
  const plaintext = matrix.paths.filter((path) => path.transport === 'plaintext');
  const admitted = plaintext.filter((path) => path.answer.kind === 'asked');
  if (admitted.length > 0) return failed(`${admitted.length} login paths proceed to authentication without TLS: ${listSome(admitted.map(describePath))}`);
  const coverage = coverageOf(matrix);
  if (!coverage.complete) return undecided(coverage.problem!);
  if (plaintext.length === 0) return undecided('no login path without TLS was asked');
  const witness = overTls.find((path) => path.transport === 'tls' && path.answer.kind === 'asked');
  if (!witness) {
    return undecided(`all ${plaintext.length} plaintext login paths were refused, but none of the ${overTls.length} paths asked over TLS proceeded either, so the refusals may not be about transport`);
  }
  return passed(`${coverage.summary}: all ${plaintext.length} are refused before authentication, while ${describePath(witness)} proceeds (asked for ${describeAnswer(witness.answer)})`);
}

async function readServerWide(context: TargetContext): Promise<ServerWideTlsRequirement> {
  try {
    const setting = await context.catalog.read('require_secure_transport', (session) =>
      session.query<{ Variable_name: string; Value: string }>("SHOW GLOBAL VARIABLES LIKE 'require_secure_transport'"),
    );
    const accounts = await context.catalog.read('the accounts and their TLS requirement', readMysqlAccounts);
    return {
      readAs: setting.readAs,
      // A server without the variable (MariaDB before 10.5) cannot require TLS server-wide.
      requireSecureTransport: setting.result[0]?.Value ?? 'absent (this server has no such setting)',
      accountsWithoutTlsRequirement: accounts.result.filter((account) => !account.isRole && !account.locked && account.sslType === '').map(accountName),
    };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** transport.tls-required: nobody logs in without TLS, on any login path. */
export const tlsRequired = defineCheck<TlsRequiredEvidence>({
  id: 'transport.tls-required',
  evidenceTitle: 'connection attempts without and with TLS',
  async read(context) {
    if (context.target.engine === 'postgres') {
      // Only the plaintext half of the login-path matrix is needed here, and one TLS path that proceeds.
      const [matrix, overTls] = await Promise.all([mapLoginPaths(context, ['plaintext']), firstTlsPathThatProceeds(context)]);
      return { engine: 'postgres', matrix, overTls };
    }
    const [plaintext, overTls, serverWide] = await Promise.all([context.sessionOver('plaintext'), context.sessionOver('tls'), readServerWide(context)]);
    return { engine: 'mysql', plaintext, overTls, serverWide };
  },
  judge: (evidence) => (evidence.engine === 'postgres' ? judgePostgres(evidence) : judgeMysql(evidence)),
  shown: (evidence) =>
    evidence.engine === 'postgres' ? { engine: 'postgres', ...matrixByAnswer(evidence.matrix), overTls: evidence.overTls.map((path) => `${describePath(path)}: ${describeAnswer(path.answer)}`) } : evidence,
});
