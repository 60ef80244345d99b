import { CannotObserve } from '../check.js';
import { DeadlineExceeded, withDeadline } from '../../util/deadline.js';
import type { AzureAccess } from './plane-session.js';

const MAX_REASON_LENGTH = 400;

/** The built-in roles that allow each kind of read, named in an undecided verdict when Azure answers 403. */
export const ROLES = {
  armReader: 'Reader (on the server, or its resource group or subscription)',
  vaultReader: 'Reader on the key vault',
  keyReader: 'Key Vault Crypto User on the key vault (or an access policy with keys get and list)',
  securityReader: 'Security Reader on the subscription',
  monitoringReader: 'Monitoring Reader (or Reader) on the resource',
  roleReader: 'Reader on the key vault (Microsoft.Authorization/roleAssignments/read)',
} as const;

/**
 * One plane read: bounded by the target's timeout (`read` gets the deadline's signal: pass it to
 * the SDK call, list or get, so that the request itself stops rather than running on unheard), and whatever goes wrong becomes CannotObserve
 * (undecided) naming what could not be read, with the role a 403 says is missing. A 404 is an
 * answer, not a failure, when `absentOn404` is set: the caller gets undefined.
 */
export async function planeRead<T>(session: AzureAccess, what: string, role: string, read: (abortSignal: AbortSignal) => Promise<T>, absentOn404 = false): Promise<T | undefined> {
  try {
    return await withDeadline(session.timeoutMs * 2, `reading ${what} from ${session.cloud.label}`, read);
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const code = (error as { code?: string }).code;
    if (status === 404 && absentOn404) return undefined;
    if (status === 403) {
      throw new CannotObserve(`${session.cloud.label} refused to let ${session.credentialName} read ${what} (HTTP 403${code ? ` ${code}` : ''}): the principal lacks the role ${role}`);
    }
    if (error instanceof DeadlineExceeded) throw new CannotObserve(error.message);
    throw new CannotObserve(`could not read ${what} from ${session.cloud.label}: ${status ? `HTTP ${status} ` : ''}${shortReason(error)}`);
  }
}

/** One line, bounded; messages from Azure carry ids and codes, never the token. */
export function shortReason(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH)}…` : oneLine;
}

/** Lists an SDK paged iterator completely (the stand-in serves one page; Azure may serve many). */
export async function listAll<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}
