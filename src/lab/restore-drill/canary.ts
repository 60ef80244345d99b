import { randomBytes } from 'node:crypto';

/** The table the restore drill writes its canary rows to, in the lab server's application database. */
export const CANARY_TABLE = 'dbcomply_restore_canary';
export const CANARY_ROWS_PER_PHASE = 3;

/** Marks one drill's rows, so that rows of earlier drills on the same server are never counted. */
export function newRunId(): string {
  return `drill-${randomBytes(6).toString('hex')}`;
}
