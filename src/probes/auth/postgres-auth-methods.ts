import { randomBytes } from 'node:crypto';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { endpointOf, type Target } from '../../targets/target.js';
import { askPostgresToAuthenticate, type StartupEvidence } from '../login/postgres-startup.js';
import type { LoginTransport } from '../sql/sql-session.js';
import type { Finding } from '../finding.js';

/** A user name no server has: how the server treats strangers shows its default method. */
export function unknownUserName(): string {
  return `dbcomply_nobody_${randomBytes(4).toString('hex')}`;
}

export function askMethods(target: Target, users: string[], transport: LoginTransport): Promise<StartupEvidence[]> {
  return Promise.all(
    users.map((user) => askPostgresToAuthenticate(endpointOf(target), { user, database: target.database ?? 'postgres', transport, host: target.host })),
  );
}

const methodOf = (evidence: StartupEvidence) =>
  evidence.reply?.kind === 'authentication' ? evidence.reply.request : undefined;

/**
 * auth.scram (PostgreSQL): for the login account and for an unknown user name the server asks for
 * SASL with SCRAM-SHA-256. MD5, a cleartext password or no authentication at all fails; a refusal
 * (no pg_hba line) is no weakness; no answer leaves it undecided.
 */
export async function checkScram(target: Target, transport: LoginTransport): Promise<Finding> {
  const users = [...new Set([target.user ?? 'postgres', unknownUserName()])];
  const answers = await askMethods(target, users, transport);
  const weak = answers.filter((answer) => {
    const method = methodOf(answer);
    return method !== undefined && !(method.method === 'sasl' && method.mechanisms.includes('SCRAM-SHA-256'));
  });
  const unanswered = answers.filter((answer) => answer.outcome === 'undecided');
  const describe = (answer: StartupEvidence) => `${answer.user}: ${answer.reason}`;
  const judgement = weak.length > 0
    ? failed(`the server asks for a weaker method than SCRAM-SHA-256: ${weak.map(describe).join('; ')}`)
    : unanswered.length > 0
      ? undecided(`no answer about the authentication method: ${unanswered.map(describe).join('; ')}`)
      : passed(`the server asks for SCRAM-SHA-256 (or refuses) for every probed user: ${answers.map(describe).join('; ')}`);
  return { evidence: { transport, answers }, judgement };
}
