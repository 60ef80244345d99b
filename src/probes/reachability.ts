import { endpointOf } from '../targets/target.js';
import { areaOf, controlById, type ControlId } from '../controls/catalogue.js';
import { firstContact, type FirstContactEvidence } from './network/first-contact.js';
import type { TargetContext } from './target-context.js';

/**
 * Whether a control needs the server reachable from where the harness runs: network controls
 * probe from their own vantage points and judge reachability themselves; plane controls read
 * Azure, not the server.
 */
export function needsTheServer(id: ControlId): boolean {
  return areaOf(id) !== 'network' && !controlById(id).plane;
}

/** Codes of a name that does not resolve: nothing was ever reached. */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/**
 * Why the harness cannot assess the target at all from where it runs, or undefined when the
 * server answers as the engine it is declared to be: connection refused, a name that does not
 * resolve, no answer, or something that is not that database. One TCP contact, made once per run.
 */
export async function unreachableCause(context: TargetContext): Promise<string | undefined> {
  return causeOf(await firstContactOf(context), context.target.engine, `${context.target.host}:${context.target.port}`);
}

/** The harness's one TCP contact with the target's server, made once per run: what it answered, and from which local address. */
export function firstContactOf(context: TargetContext): Promise<FirstContactEvidence> {
  return context.once('first-contact', () => firstContact(endpointOf(context.target)));
}

export function causeOf({ contact }: FirstContactEvidence, engine: 'postgres' | 'mysql', where: string): string | undefined {
  const product = engine === 'postgres' ? 'PostgreSQL' : 'MySQL or MariaDB';
  switch (contact.kind) {
    case 'postgres-ssl-answer':
      return engine === 'postgres' ? undefined : `${where} is not a ${product} server (it answered a PostgreSQL SSLRequest)`;
    case 'mysql-greeting':
      return engine === 'mysql' ? undefined : `${where} is not a ${product} server (it sent a MySQL greeting: ${contact.serverVersion})`;
    case 'mysql-error':
      return `the server at ${where} turns this host away before any login: [${contact.code}] ${contact.message}`;
    case 'refused':
      return `connection refused at ${where} (${contact.code})`;
    case 'dropped':
      return `no answer at ${where}: ${contact.detail}`;
    case 'vantage-error':
      return contact.code && NO_SUCH_NAME.has(contact.code) ? `the name in ${where} does not resolve (${contact.code})` : `cannot connect to ${where}: ${contact.detail}`;
    case 'silent':
    case 'closed-silently':
    case 'unrecognised':
      return `${where} does not answer as a ${product} server (${contact.detail})`;
  }
}
