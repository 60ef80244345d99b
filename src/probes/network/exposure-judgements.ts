import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { ReachEvidence } from './reach.js';
import type { VantageObservation } from './vantage.js';

/** MySQL ER_HOST_NOT_PRIVILEGED: no account may connect from this host. */
const MYSQL_HOST_NOT_ALLOWED = 1130;
/** PostgreSQL invalid_authorization_specification: what pg_hba answers a source it rejects or has no line for. */
const POSTGRES_HBA_REJECTION = '28000';

interface Reading {
  /** unknown: something else stopped the probe (a full server, a broken vantage point, silence). */
  outcome: 'kept-out' | 'let-in' | 'unknown';
  description: string;
}

/** Whether the server would take a login from where this observation was made. */
export function admission(reach: ReachEvidence): Reading {
  const contact = reach.contact;
  switch (contact.kind) {
    case 'dropped':
    case 'refused':
    case 'closed-silently':
      return { outcome: 'kept-out', description: `${contact.kind}: ${contact.detail}` };
    case 'mysql-greeting':
      return { outcome: 'let-in', description: `greeted by ${contact.serverVersion}, ready to take a login` };
    case 'mysql-error':
      return {
        outcome: contact.code === MYSQL_HOST_NOT_ALLOWED ? 'kept-out' : 'unknown',
        description: `MySQL error ${contact.code} before any login: ${contact.message}`,
      };
    case 'postgres-ssl-answer': {
      const startup = reach.startup;
      if (!startup) return { outcome: 'unknown', description: `the server answered the SSLRequest with '${contact.answer}' and no startup could follow` };
      if (startup.outcome === 'asked-to-authenticate') return { outcome: 'let-in', description: startup.reason };
      const hbaRejection = startup.outcome === 'refused' && startup.reply?.kind === 'error' && startup.reply.error.code === POSTGRES_HBA_REJECTION;
      if (hbaRejection) return { outcome: 'kept-out', description: `refused by a host rule before authentication: ${startup.reason}` };
      return { outcome: 'unknown', description: `neither authenticated nor refused by a host rule: ${startup.reason}` };
    }
    case 'silent':
    case 'unrecognised':
    case 'vantage-error':
      return { outcome: 'unknown', description: `${contact.kind}: ${contact.detail}` };
  }
}

/** What the server told this source before any login: nothing, or its banner (any byte is one). */
export function banner(reach: ReachEvidence): { outcome: 'nothing' | 'banner' | 'unknown'; description: string } {
  const contact = reach.contact;
  switch (contact.kind) {
    case 'dropped':
    case 'refused':
    case 'closed-silently':
      return { outcome: 'nothing', description: `${contact.kind}: ${contact.detail}` };
    case 'mysql-greeting':
      return { outcome: 'banner', description: `the MySQL greeting, naming server version ${contact.serverVersion}` };
    case 'mysql-error':
      return { outcome: 'banner', description: `a MySQL error packet ${contact.code} ("${contact.message}"), which shows a MySQL-protocol server listening there` };
    case 'postgres-ssl-answer': {
      const refusal = reach.startup?.reply?.kind === 'error' ? `; then, to a startup message: "${reach.startup.reply.error.message ?? ''}"` : '';
      return { outcome: 'banner', description: `the answer '${contact.answer}' to an SSLRequest, which shows a PostgreSQL server listening there${contact.answer === 'S' ? ' and hands out its certificate' : ''}${refusal}` };
    }
    case 'unrecognised':
      return { outcome: 'banner', description: `bytes the probe could not read as the engine's own (${contact.detail})` };
    case 'silent':
    case 'vantage-error':
      return { outcome: 'unknown', description: `${contact.kind}: ${contact.detail}` };
  }
}

const BOTH_KINDS_NEEDED = 'the probe needs at least one vantage point expected denied and one expected allowed';

const line = (observation: VantageObservation, description: string) => `${observation.vantagePoint} (${observation.from}, expected ${observation.expect}): ${description}`;

/**
 * Passes when every denied source is kept out before any login and every allowed source gets as far
 * as authentication; without the allowed side, a denial could be a dead server or a broken route.
 */
export function judgeAllowlist(observations: VantageObservation[]): Judgement {
  const read = observations.map((observation) => ({ observation, reading: admission(observation.reach) }));
  const denied = read.filter(({ observation }) => observation.expect === 'denied');
  const allowed = read.filter(({ observation }) => observation.expect === 'allowed');
  if (denied.length === 0 || allowed.length === 0) return undecided(BOTH_KINDS_NEEDED);
  const letIn = denied.filter(({ reading }) => reading.outcome === 'let-in');
  if (letIn.length > 0) return failed(`a source outside the allow list can attempt a login: ${letIn.map(({ observation, reading }) => line(observation, reading.description)).join('; ')}`);
  const unclear = denied.filter(({ reading }) => reading.outcome === 'unknown');
  if (unclear.length > 0) return undecided(`cannot tell whether these sources are kept out: ${unclear.map(({ observation, reading }) => line(observation, reading.description)).join('; ')}`);
  const notAdmitted = allowed.filter(({ reading }) => reading.outcome !== 'let-in');
  if (notAdmitted.length > 0) {
    return undecided(`an allowed source did not reach authentication, so the denials may only show a server that answers no one: ${notAdmitted.map(({ observation, reading }) => line(observation, reading.description)).join('; ')}`);
  }
  return passed(read.map(({ observation, reading }) => line(observation, reading.description)).join('; '));
}

/**
 * Passes when no denied source receives a byte from the server while every allowed source hears it
 * answer; a MySQL error packet (1130 "Host … is not allowed") counts as a banner, since it names the product.
 */
export function judgeNoBanner(observations: VantageObservation[]): Judgement {
  const read = observations.map((observation) => ({ observation, reading: banner(observation.reach) }));
  const denied = read.filter(({ observation }) => observation.expect === 'denied');
  const allowed = read.filter(({ observation }) => observation.expect === 'allowed');
  if (denied.length === 0 || allowed.length === 0) return undecided(BOTH_KINDS_NEEDED);
  const leaked = denied.filter(({ reading }) => reading.outcome === 'banner');
  if (leaked.length > 0) return failed(`a source outside the allow list hears the server before any login: ${leaked.map(({ observation, reading }) => line(observation, reading.description)).join('; ')}`);
  const unclear = denied.filter(({ reading }) => reading.outcome === 'unknown');
  if (unclear.length > 0) return undecided(`cannot tell what these sources would receive: ${unclear.map(({ observation, reading }) => line(observation, reading.description)).join('; ')}`);
  const unheard = allowed.filter(({ observation, reading }) => reading.outcome !== 'banner' || observation.reach.contact.kind === 'unrecognised');
  if (unheard.length > 0) {
    return undecided(`an allowed source did not hear the server either, so silence elsewhere proves nothing: ${unheard.map(({ observation, reading }) => line(observation, reading.description)).join('; ')}`);
  }
  return passed(read.map(({ observation, reading }) => line(observation, reading.description)).join('; '));
}
