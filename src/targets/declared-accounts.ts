import type { Target } from './target.js';

/** Accounts a target runs the harness as are workloads by nature, whatever else is declared. */
export function workloadAccounts(target: Target): string[] {
  return [...new Set([target.user, target.auditor, target.masking?.role, target.lockoutUser, target.entra?.user, ...(target.allow?.workload ?? [])].filter((name): name is string => !!name))];
}
