import { randomBytes } from 'node:crypto';
import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { coverageOf, describeAnswer, describePath, listSome, mapLoginPaths, matrixByAnswer, type LoginPath, type LoginPathMatrix } from './login-paths.js';

/** A user name no server has: how the server treats strangers shows its default method. */
export function unknownUserName(): string {
  return `dbcomply_nobody_${randomBytes(4).toString('hex')}`;
}

/** PostgreSQL 18's OAuth: a bearer token validated by the server, not a password; not weaker than SCRAM. */
const NOT_A_PASSWORD = new Set(['OAUTHBEARER']);

type Strength = 'scram' | 'not-a-password' | 'token' | 'trust' | 'ident' | 'weak' | 'none';

function strengthOf(path: LoginPath, entraPrincipal: string | undefined): Strength {
  const { answer } = path;
  if (answer.kind !== 'asked') return 'none';
  // No authentication at all is not a weaker password method but none: auth.no-passwordless's finding.
  if (answer.method === 'none') return 'trust';
  // Ident asks the client host who connects, not for a password: auth.no-passwordless's finding too.
  if (answer.method === 'ident') return 'ident';
  // The declared Entra principal sends its token the way Azure asks for it: as a cleartext password, over TLS only.
  if (answer.method === 'cleartext-password' && path.transport === 'tls' && path.role === entraPrincipal) return 'token';
  if (answer.method === 'sasl') {
    if (answer.mechanisms?.includes('SCRAM-SHA-256')) return 'scram';
    return answer.mechanisms?.every((mechanism) => NOT_A_PASSWORD.has(mechanism)) ? 'not-a-password' : 'weak';
  }
  // Kerberos and SSPI prove identity without a password the server could store or see.
  if (answer.method === 'gss' || answer.method === 'sspi' || answer.method === 'kerberos') return 'not-a-password';
  return 'weak';
}

/**
 * auth.scram (PostgreSQL): on every login path (every login role x every database that accepts
 * connections, replication included, over TLS and without, plus a made-up role and database) the
 * server asks for SCRAM-SHA-256, or refuses. MD5 or a cleartext password fails (a path with no
 * authentication at all is auth.no-passwordless's finding, and is listed here); OAUTHBEARER, GSS and SSPI are not password methods and are listed as such, as is the
 * declared Entra principal's token login, which Azure makes as a cleartext password over TLS.
 */
export const scram = defineCheck<LoginPathMatrix>({
  id: 'auth.scram',
  evidenceTitle: 'authentication method the server asks for on every login path',
  read: (context) => mapLoginPaths(context),
  judge(matrix, target) {
    const strength = (path: LoginPath) => strengthOf(path, target.entra?.user);
    const weak = matrix.paths.filter((path) => strength(path) === 'weak');
    const coverage = coverageOf(matrix);
    if (weak.length > 0) return failed(`the server asks for a weaker method than SCRAM-SHA-256 on ${weak.length} login paths: ${listSome(weak.map((path) => `${describePath(path)}: ${describeAnswer(path.answer)}`))}`);
    if (!coverage.complete) return undecided(coverage.problem!);
    if (matrix.paths.length === 0) return undecided('no login path was asked');
    const count = (wanted: Strength) => matrix.paths.filter((path) => strength(path) === wanted).length;
    const others = count('not-a-password');
    const tokens = count('token');
    return passed(
      `${coverage.summary}: SCRAM-SHA-256 on ${count('scram')}, refused on ${count('none')}` +
        `${others ? `, a method that is not a password (OAUTHBEARER, GSS, SSPI) on ${others}` : ''}` +
        `${tokens ? `, the declared Entra principal's token login (cleartext over TLS) on ${tokens}` : ''}` +
        `${count('trust') ? `, no authentication at all on ${count('trust')} (auth.no-passwordless judges those)` : ''}` +
        `${count('ident') ? `, ident (the client host's word for who connects) on ${count('ident')} (auth.no-passwordless judges those)` : ''}; no MD5 or cleartext password path`,
    );
  },
  shown: matrixByAnswer,
});
