import type { LoginPath, LoginPathMatrix, PathAnswer } from '../../src/probes/auth/login-paths.js';

export const SCRAM: PathAnswer = { kind: 'asked', method: 'sasl', mechanisms: ['SCRAM-SHA-256'] };
export const HBA_REFUSED: PathAnswer = { kind: 'refused', code: '28000', message: 'no pg_hba.conf entry' };

/** A matrix of login paths for judge tests: every path answered `fallback` unless `answers` names it ("role@database transport"). */
export function loginPathMatrix(answers: Record<string, PathAnswer> = {}, fallback?: (path: Omit<LoginPath, 'answer'>) => PathAnswer, extra: Partial<LoginPathMatrix> = {}): LoginPathMatrix {
  const roles = ['app', 'auditor', 'dbcomply_nobody_1'];
  const databases = ['app', 'postgres', 'dbcomply_nodb_1'];
  const paths: LoginPath[] = [];
  for (const transport of ['tls', 'plaintext'] as const) {
    for (const role of roles) {
      for (const database of databases) {
        const path = { role, database, kind: 'database' as const, transport };
        paths.push({ ...path, answer: answers[`${role}@${database} ${transport}`] ?? fallback?.(path) ?? (transport === 'tls' ? SCRAM : HBA_REFUSED) });
      }
      const replication = { role, database: 'replication', kind: 'physical-replication' as const, transport };
      paths.push({ ...replication, answer: answers[`${role}@replication ${transport}`] ?? fallback?.(replication) ?? HBA_REFUSED });
    }
  }
  return { listedFrom: 'read as the declared auditor "auditor"', roles, databases, madeUp: { role: 'dbcomply_nobody_1', database: 'dbcomply_nodb_1' }, transports: ['tls', 'plaintext'], planned: paths.length, bound: 600, paths, ...extra };
}

/**
 * What transport.tls-required reads from the same server: the plaintext half of the matrix, and
 * the TLS paths in order up to the first that proceeds.
 */
export function tlsRequiredHalves(matrix: LoginPathMatrix): { matrix: LoginPathMatrix; overTls: LoginPath[] } {
  const plaintext = matrix.paths.filter((path) => path.transport === 'plaintext');
  const tls = matrix.paths.filter((path) => path.transport === 'tls');
  const proceeds = tls.findIndex((path) => path.answer.kind === 'asked');
  return {
    matrix: { ...matrix, transports: ['plaintext'], planned: matrix.planned - tls.length, paths: plaintext },
    overTls: proceeds < 0 ? tls : tls.slice(0, proceeds + 1),
  };
}
