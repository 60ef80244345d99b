import { isOn, settingSet } from './server-settings.js';

/**
 * PostgreSQL 18 made log_connections a list of aspects; 'on' is still accepted and means
 * receipt, authentication and authorization, which 'all' includes. A list that leaves one of
 * those out logs less than 'on'.
 */
export const CONNECTION_ASPECTS_OF_ON = ['receipt', 'authentication', 'authorization'] as const;

/** Every aspect PostgreSQL 18 knows; 'all' is these four. */
export const CONNECTION_ASPECTS = [...CONNECTION_ASPECTS_OF_ON, 'setup_durations'] as const;

/** The boolean words PostgreSQL (every version) takes for "off"; 18 reads them as the empty list. */
const OFF_WORDS = ['off', 'false', 'no', '0'];

/**
 * What a log_connections value logs, as a set of aspects, whichever version wrote it: a boolean
 * before 18 ('on' is what 18 calls receipt, authentication and authorization), a list from 18 on
 * ('all' expanded, '' and 'off' empty). A word PostgreSQL does not know is kept as it is, so a
 * value with one never equals a value without it.
 */
export function connectionAspects(value: string): Set<string> {
  if (isOn(value)) return new Set(CONNECTION_ASPECTS_OF_ON);
  if (OFF_WORDS.includes(value.trim().toLowerCase())) return new Set();
  const aspects = new Set<string>();
  for (const item of settingSet(value)) for (const aspect of item === 'all' ? CONNECTION_ASPECTS : [item]) aspects.add(aspect);
  return aspects;
}

/** Whether the value logs at least what 'on' logs: every connection's receipt, authentication and authorization. */
export function logsConnections(value: string): boolean {
  const aspects = connectionAspects(value);
  return CONNECTION_ASPECTS_OF_ON.every((aspect) => aspects.has(aspect));
}

/** Whether every word of the value is one PostgreSQL takes for log_connections (a boolean, or 18's aspects and 'all'). */
export function knownConnectionAspects(value: string): boolean {
  return [...connectionAspects(value)].every((aspect) => (CONNECTION_ASPECTS as readonly string[]).includes(aspect));
}
