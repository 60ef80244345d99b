import { isIP } from 'node:net';
import { lookup, Resolver } from 'node:dns/promises';
import { withDeadline } from '../../util/deadline.js';
import { classifyAddress, type AddressClass } from './address-class.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
  /** Seconds, when a DNS server answered (the system resolver does not say). */
  ttl?: number;
  class: AddressClass;
}

export interface ResolutionEvidence {
  host: string;
  /** Who was asked: the configured DNS servers, the system resolver, or nobody (an address literal). */
  via: string;
  answers: ResolvedAddress[];
  /** Lookups that failed or ran out of time; any one leaves the answer set incomplete. */
  problems: string[];
  elapsedMs: number;
}

/** DNS answers that only mean "there is no such record", not "we could not look". */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * Every address the host name resolves to, A and AAAA alike. With `servers` those DNS servers are
 * asked directly (e.g. the resolver inside the private network); without, the system resolver is,
 * as a client on this machine would, /etc/hosts included.
 */
export async function resolveHost(host: string, servers: readonly string[] | undefined, timeoutMs: number): Promise<ResolutionEvidence> {
  const started = performance.now();
  const finish = (via: string, answers: Omit<ResolvedAddress, 'class'>[], problems: string[]): ResolutionEvidence => ({
    host,
    via,
    answers: answers.map((answer) => ({ ...answer, class: classifyAddress(answer.address) })),
    problems,
    elapsedMs: Math.round(performance.now() - started),
  });
  const literal = isIP(host);
  if (literal !== 0) return finish('nobody: the host is an address literal', [{ address: host, family: literal as 4 | 6 }], []);
  if (servers) return askServers(host, servers, timeoutMs, finish);
  const via = 'the system resolver (getaddrinfo: /etc/hosts, then the DNS servers of /etc/resolv.conf)';
  try {
    const found = await withDeadline(timeoutMs, `resolving ${host}`, () => lookup(host, { all: true, verbatim: true }));
    return finish(via, found.map(({ address, family }) => ({ address, family: family as 4 | 6 })), []);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return finish(via, [], [code && NO_RECORDS.has(code) ? `${host} does not resolve (${code})` : (error as Error).message]);
  }
}

async function askServers(
  host: string,
  servers: readonly string[],
  timeoutMs: number,
  finish: (via: string, answers: Omit<ResolvedAddress, 'class'>[], problems: string[]) => ResolutionEvidence,
): Promise<ResolutionEvidence> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([...servers]);
  const families = [
    { family: 4 as const, record: 'A', query: () => resolver.resolve4(host, { ttl: true }) },
    { family: 6 as const, record: 'AAAA', query: () => resolver.resolve6(host, { ttl: true }) },
  ];
  const answers: Omit<ResolvedAddress, 'class'>[] = [];
  const problems: string[] = [];
  await Promise.all(
    families.map(async ({ family, record, query }) => {
      try {
        const records = await withDeadline(timeoutMs, `the ${record} query for ${host}`, query);
        answers.push(...records.map(({ address, ttl }) => ({ address, family, ttl })));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!code || !NO_RECORDS.has(code)) problems.push(`${record} query: ${code ?? ''} ${(error as Error).message}`.trim());
      }
    }),
  );
  resolver.cancel();
  if (answers.length === 0 && problems.length === 0) problems.push(`${host} has no A or AAAA record`);
  return finish(`the DNS servers ${servers.join(', ')}`, answers, problems);
}
