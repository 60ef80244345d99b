import { isIPv4 } from 'node:net';
import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { firewallRules, serverFacts, type FirewallRule } from '../plane/server-facts.js';

export interface FirewallEvidence {
  plane: string;
  server: string;
  publicNetworkAccess?: string;
  rules: FirewallRule[];
}

/**
 * A rule this wide lets in most of the internet: 0.0.0.0-255.255.255.255 exactly, but also the
 * official example's 1.0.0.0-255.0.0.0, which an exact-match check would let pass.
 */
export const OPEN_RULE_MIN_ADDRESSES = 2 ** 31;

function toNumber(address: string): number | undefined {
  if (!isIPv4(address)) return undefined;
  return address.split('.').reduce((total, octet) => total * 256 + Number(octet), 0);
}

export type RuleKind = 'azure-services' | 'open' | 'bounded' | 'unreadable';

/** How one rule is read: Azure's "allow Azure services" marker, most of IPv4, a bounded range, or not an IPv4 range at all. */
export function classifyRule(rule: FirewallRule): { kind: RuleKind; addresses?: number } {
  const start = toNumber(rule.startIpAddress);
  const end = toNumber(rule.endIpAddress);
  if (start === undefined || end === undefined || end < start) return { kind: 'unreadable' };
  if (start === 0 && end === 0) return { kind: 'azure-services', addresses: 1 };
  const addresses = end - start + 1;
  return { kind: addresses >= OPEN_RULE_MIN_ADDRESSES ? 'open' : 'bounded', addresses };
}

/** How many distinct IPv4 addresses the rules admit together, overlaps counted once (rules must be readable IPv4 ranges). */
export function addressesCovered(rules: FirewallRule[]): number {
  const ranges = rules
    .map((rule) => [toNumber(rule.startIpAddress), toNumber(rule.endIpAddress)] as const)
    .filter((range): range is readonly [number, number] => range[0] !== undefined && range[1] !== undefined && range[0] <= range[1])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reached = -1;
  for (const [start, end] of ranges) {
    if (end <= reached) continue;
    total += end - Math.max(start, reached + 1) + 1;
    reached = end;
  }
  return total;
}

export function judgeFirewall(evidence: FirewallEvidence): Judgement {
  const where = `${evidence.server} on ${evidence.plane}`;
  const classified = evidence.rules.map((rule) => ({ rule, ...classifyRule(rule) }));
  const describe = (entry: (typeof classified)[number]) => `${entry.rule.name} (${entry.rule.startIpAddress}-${entry.rule.endIpAddress}${entry.addresses ? `, ${entry.addresses.toLocaleString('en')} addresses` : ''})`;
  const azureServices = classified.filter((entry) => entry.kind === 'azure-services');
  const open = classified.filter((entry) => entry.kind === 'open');
  const problems = [
    ...azureServices.map((entry) => `${describe(entry)} is the "allow all Azure services" rule: any Azure tenant's resources can connect`),
    ...open.map((entry) => `${describe(entry)} spans at least half of the IPv4 space`),
  ];
  if (problems.length > 0) return failed(`${problems.length} of ${evidence.rules.length} firewall rules of ${where} are open: ${problems.join('; ')}`);
  // Rules that are each bounded can still open the same space together (four /2 ranges are all of IPv4).
  const bounded = classified.filter((entry) => entry.kind === 'bounded');
  const together = addressesCovered(bounded.map((entry) => entry.rule));
  if (together >= OPEN_RULE_MIN_ADDRESSES) {
    return failed(`${bounded.length} firewall rules of ${where} together admit ${together.toLocaleString('en')} addresses, at least half of the IPv4 space, though none does alone: ${bounded.map(describe).join('; ')}`);
  }
  const unreadable = classified.filter((entry) => entry.kind === 'unreadable');
  if (unreadable.length > 0) return undecided(`${unreadable.length} firewall rules of ${where} are not IPv4 ranges this check can read: ${unreadable.map(describe).join('; ')}`);
  const listed = classified.map(describe).join('; ');
  const union = evidence.rules.length > 1 ? `, ${together.toLocaleString('en')} addresses together` : '';
  return passed(`${evidence.rules.length} firewall rules read on ${where}, none open to all Azure services or to most of IPv4${listed ? `: ${listed}${union}` : ' (no address is allowed by rule)'}`);
}

export const noOpenFirewallCheck = defineCheck<FirewallEvidence>({
  id: 'network.no-open-firewall',
  evidenceTitle: 'firewall rules, as Azure Resource Manager lists them',
  async read(context) {
    const server = await serverFacts(context);
    return { plane: server.plane, server: server.name, publicNetworkAccess: server.publicNetworkAccess, rules: await firewallRules(context) };
  },
  judge: judgeFirewall,
});
