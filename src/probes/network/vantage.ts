import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { VantagePoint } from '../../targets/network-declaration.js';
import { endpointOf, type Target } from '../../targets/target.js';
import { reachServer, type ReachEvidence, type ReachRequest } from './reach.js';

/** One vantage point's view of the server, with what its owner expects from there. */
export interface VantageObservation {
  vantagePoint: string;
  expect: VantagePoint['expect'];
  /** "source address 10.0.0.5" or "network namespace ns-outside". */
  from: string;
  reach: ReachEvidence;
}

const PROBE_MAIN = fileURLToPath(new URL('./vantage-probe-main.js', import.meta.url));
/** Starting `ip netns exec` and a Node process costs a fraction of a second; this is its allowance. */
const CHILD_START_ALLOWANCE_MS = 3000;
/** A reach probe may make two connections (PostgreSQL's SSLRequest, then a startup), each with the target's timeout. */
const CONNECTIONS_PER_REACH = 2;

export async function observeFrom(point: VantagePoint, target: Target): Promise<VantageObservation> {
  const user = target.user ?? 'postgres';
  const request: ReachRequest = {
    endpoint: { ...endpointOf(target), ...(point.sourceAddress ? { localAddress: point.sourceAddress } : {}) },
    user,
    database: target.database ?? user,
    serverName: target.host,
  };
  const base = { vantagePoint: point.name, expect: point.expect };
  if (point.namespace) return { ...base, from: `network namespace ${point.namespace}`, reach: await reachInNamespace(point.namespace, request) };
  return { ...base, from: `source address ${point.sourceAddress}`, reach: await reachServer(request) };
}

/** Never rejects: a probe that cannot run in the namespace is a vantage error, which leaves the controls undecided. */
function reachInNamespace(namespace: string, request: ReachRequest): Promise<ReachEvidence> {
  const started = performance.now();
  const limitMs = request.endpoint.timeoutMs * CONNECTIONS_PER_REACH + CHILD_START_ALLOWANCE_MS;
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, PROBE_MAIN], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    const fail = (detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ contact: { kind: 'vantage-error', detail: `the probe in network namespace ${namespace} ${detail}` }, elapsedMs: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(() => fail(`did not finish within ${limitMs} ms`), limitMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => fail(`could not start: ${error.message}`));
    child.on('close', (code) => {
      if (settled) return;
      try {
        if (code !== 0) throw new Error(`exited with code ${code}: ${Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-3).join(' ')}`);
        const evidence = JSON.parse(Buffer.concat(stdout).toString('utf8')) as ReachEvidence;
        settled = true;
        clearTimeout(timer);
        resolve(evidence);
      } catch (error) {
        fail((error as Error).message);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}
