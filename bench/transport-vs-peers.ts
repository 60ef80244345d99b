/**
 * One local server's transport assessment by dbcomply and by the peer tools, on a hardened and a
 * legacy server of each engine: wall time, and whether each tool sees the same TLS versions and
 * the same presence of weak suites.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../src/lab/local-server.js';
import { targetForLocalServer } from '../src/lab/lab-target.js';
import { runTarget } from '../src/runner/run-target.js';
import type { TargetResult } from '../src/report/results-document.js';
import type { CipherScanEvidence } from '../src/probes/transport/cipher-scan.js';
import { TLS_VERSIONS, type TlsVersion } from '../src/tls/versions.js';
import { compare, isWeak, versionAnswers, type TransportFindings, type VersionAnswer } from './findings.js';
import { formatMs, formatTable, median } from './format.js';
import { PEER_TOOLS, type PeerTool } from './peer-tools.js';
import { dbcomply, nodeBinaries, type NodeBinary } from './cli-process.js';

const SERVERS = [
  { engine: 'postgres', configuration: 'hardened' },
  { engine: 'postgres', configuration: 'legacy' },
  { engine: 'mysql', configuration: 'hardened' },
  { engine: 'mysql', configuration: 'legacy' },
] as const;

/** Under the baseline profile all four version controls are required, so each one decides its version. */
const VERSION_CONTROLS: Record<TlsVersion, { control: string; passedMeans: VersionAnswer; failedMeans: VersionAnswer }> = {
  TLSv1: { control: 'transport.no-tls1.0', passedMeans: 'refused', failedMeans: 'accepted' },
  'TLSv1.1': { control: 'transport.no-tls1.1', passedMeans: 'refused', failedMeans: 'accepted' },
  'TLSv1.2': { control: 'transport.tls1.2', passedMeans: 'accepted', failedMeans: 'refused' },
  'TLSv1.3': { control: 'transport.tls1.3', passedMeans: 'accepted', failedMeans: 'refused' },
};

/** The evidence title the strong-ciphers check gives the suite enumeration. */
const CIPHER_SCAN_EVIDENCE = 'accepted cipher suites per TLS version';

const HEADER = ['server', 'tool', 'median', 'rounds', '÷ dbcomply', 'TLS 1.0', '1.1', '1.2', '1.3', 'weak suites accepted', 'agrees with dbcomply'];
const VERSION_CELL: Record<VersionAnswer, string> = { accepted: 'yes', refused: 'no', unknown: '?' };

interface DbcomplyMeasurement {
  medianMs: number;
  rounds: number;
  findings: TransportFindings;
  strongCiphersVerdict: string;
}

async function dbcomplyFindings(result: TargetResult, outDir: string): Promise<TransportFindings> {
  const versions = versionAnswers((version) => {
    const { control, passedMeans, failedMeans } = VERSION_CONTROLS[version];
    const verdict = result.controls[control];
    return verdict === 'passed' ? passedMeans : verdict === 'failed' ? failedMeans : 'unknown';
  });
  const messages = await readFile(join(outDir, result.reports.messages), 'utf8');
  const scan = messages
    .split('\n')
    .filter((line) => line.includes(CIPHER_SCAN_EVIDENCE))
    .map((line) => JSON.parse(line).attachment)
    .find((attachment) => attachment?.fileName === CIPHER_SCAN_EVIDENCE);
  if (!scan) return { versions };
  // One scan per path into TLS (the SSLRequest path, and direct TLS where the server accepts it): the peers take the first.
  const shown = JSON.parse(scan.body) as { paths: Array<{ evidence: CipherScanEvidence }> } | CipherScanEvidence;
  const evidence = 'paths' in shown ? shown.paths[0].evidence : shown;
  return { versions, weakSuites: evidence.versions.flatMap((version) => version.acceptedSuites.filter(isWeak).map((suite) => suite.openssl ?? suite.iana)) };
}

async function measureDbcomply(server: LocalServer, rounds: number, workDir: string): Promise<DbcomplyMeasurement> {
  const outDir = await mkdtemp(join(workDir, 'dbcomply-'));
  const times: number[] = [];
  let last: TargetResult | undefined;
  for (let round = 0; round < rounds; round++) {
    const target = targetForLocalServer(`bench-${server.engine}-${server.configuration.name}-${round}`, server, 'baseline');
    const started = performance.now();
    last = await runTarget(target, outDir, '@area:transport');
    times.push(performance.now() - started);
  }
  return {
    medianMs: median(times),
    rounds,
    findings: await dbcomplyFindings(last!, outDir),
    strongCiphersVerdict: last!.controls['transport.strong-ciphers'] ?? 'absent',
  };
}

/**
 * The same assessment as a user starts it, `dbcomply run -t URL --tags @area:transport`, timed from
 * spawn to exit: Node's start, the CLI's imports and Cucumber's load included, as the peers' times
 * include theirs. The URL carries no password: the transport controls need none.
 */
async function measureDbcomplyProcess(server: LocalServer, rounds: number, workDir: string, node: NodeBinary): Promise<{ medianMs: number; cpuMs: number }> {
  const target = targetForLocalServer('bench', server, 'baseline');
  const url = `${server.engine}://app@127.0.0.1:${server.port}/app?sslrootcert=${encodeURIComponent(target.caFile ?? '')}&name=transport-only`;
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const run = await dbcomply(['run', '-t', url, '--tags', '@area:transport', '--out', await mkdtemp(join(workDir, 'dbcomply-process-')), '--no-progress'], process.env, node.path);
    // Exit 1 is a failed control (the legacy servers); anything else is a run that did not finish.
    if (run.code !== 0 && run.code !== 1) throw new Error(`dbcomply run exited ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
    walls.push(run.wallMs);
    if (run.cpuMs !== undefined) cpus.push(run.cpuMs);
  }
  return { medianMs: median(walls), cpuMs: cpus.length > 0 ? median(cpus) : NaN };
}

async function measurePeer(tool: PeerTool, server: LocalServer, rounds: number, workDir: string): Promise<{ medianMs: number; findings: TransportFindings } | { reason: string }> {
  const times: number[] = [];
  let findings: TransportFindings | undefined;
  for (let round = 0; round < rounds; round++) {
    const outcome = await tool.assess({ engine: server.engine, port: server.port }, await mkdtemp(join(workDir, `${tool.name}-`)));
    if (!outcome.ok) return { reason: outcome.reason };
    times.push(outcome.elapsedMs);
    findings = outcome.findings;
  }
  return { medianMs: median(times), findings: findings! };
}

const versionCells = (findings: TransportFindings) => TLS_VERSIONS.map((version) => VERSION_CELL[findings.versions[version]]);

function weakCell(weakSuites: string[] | undefined): string {
  if (weakSuites === undefined) return 'n/a (not enumerated)';
  const distinct = [...new Set(weakSuites)];
  return distinct.length === 0 ? 'none' : distinct.join(' ');
}

export async function benchTransportVsPeers(rounds: number, workDir: string): Promise<void> {
  console.log(`\n## Transport assessment of one local server: dbcomply next to peer tools`);
  const versions = await Promise.all(PEER_TOOLS.map((tool) => tool.version()));
  console.log(
    `dbcomply = runTarget(target, out, '@area:transport'): every transport scenario through Cucumber, reports written (round 1 also loads the spec);\n` +
      `"dbcomply, whole process" = \`dbcomply run -t URL --tags @area:transport\` from spawn to exit, as a user runs it and as the peers are timed.\n` +
      `sslscan and nmap ssl-enum-ciphers enumerate versions and suites; testssl -p checks protocols only. Median over the rounds shown: ${rounds}, testssl 1 (its start-up alone takes ~20 s here).\n` +
      `Weak = the spec's definition (no forward secrecy, NULL, anon, EXPORT, DES, 3DES, RC4, MD5), applied to every tool's list. Pre-TLS exchange (STARTTLS):\n` +
      PEER_TOOLS.map((tool, index) => `  ${tool.name} ${versions[index] ?? '(not installed)'}: ${tool.starttls}`).join('\n'),
  );
  const nodes = nodeBinaries();
  const servers = await Promise.all(SERVERS.map(({ engine, configuration }) => startLocalServer(engine, configuration, { mode: 'process' })));
  const rows: string[][] = [];
  const disagreementLines: string[] = [];
  const notes: string[] = [];
  for (const server of servers) {
    const label = `${server.engine === 'mysql' ? 'MariaDB' : 'PostgreSQL'} ${server.serverVersion.split(/[ -]/)[0]} ${server.configuration.name}`;
    const ours = await measureDbcomply(server, rounds, workDir);
    rows.push([
      label,
      'dbcomply',
      formatMs(ours.medianMs),
      String(ours.rounds),
      '1.0',
      ...versionCells(ours.findings),
      `${weakCell(ours.findings.weakSuites)} (strong-ciphers: ${ours.strongCiphersVerdict})`,
      '',
    ]);
    for (const node of nodes) {
      // One run first, not counted: Node 22 and later fill their compile cache on a first run, as a user's first run does once.
      if (node.path !== process.execPath) await measureDbcomplyProcess(server, 1, workDir, node);
      const whole = await measureDbcomplyProcess(server, rounds, workDir, node);
      const name = node.path === process.execPath ? 'dbcomply, whole process' : `dbcomply, whole process, Node ${node.version}`;
      rows.push(['', name, formatMs(whole.medianMs), String(rounds), (whole.medianMs / ours.medianMs).toFixed(1), '', '', '', '', Number.isFinite(whole.cpuMs) ? `CPU ${formatMs(whole.cpuMs)}` : '', '']);
    }
    for (const [index, tool] of PEER_TOOLS.entries()) {
      if (versions[index] === undefined) {
        rows.push(['', tool.name, 'n/a', '', '', '', '', '', '', '', `${tool.name} not installed`]);
        continue;
      }
      const toolRounds = tool.rounds(rounds);
      const measured = await measurePeer(tool, server, toolRounds, workDir);
      if ('reason' in measured) {
        rows.push(['', tool.name, 'n/a', '', '', '', '', '', '', '', measured.reason]);
        continue;
      }
      const { disagreements, notes: sameVerdictNotes } = compare(ours.findings, measured.findings, tool.name);
      disagreementLines.push(...disagreements.map((line) => `${label}, ${tool.name}: ${line}`));
      notes.push(...sameVerdictNotes.map((line) => `${label}, ${tool.name}: ${line}`));
      const agreement =
        disagreements.length > 0 ? `NO (${disagreements.length}, see below)` : measured.findings.weakSuites ? 'yes' : 'yes (versions; suites not checked)';
      rows.push([
        '',
        tool.name,
        formatMs(measured.medianMs),
        String(toolRounds),
        (measured.medianMs / ours.medianMs).toFixed(1),
        ...versionCells(measured.findings),
        weakCell(measured.findings.weakSuites),
        agreement,
      ]);
    }
    await server.stop();
  }
  console.log(`\n${formatTable(HEADER, rows)}`);
  const bullets = (lines: string[]) => lines.map((line) => `  - ${line}`).join('\n');
  console.log(disagreementLines.length === 0 ? '\nno disagreement between dbcomply and any peer tool' : `\ndisagreements:\n${bullets(disagreementLines)}`);
  if (notes.length > 0) console.log(`same verdict, different weak suites named:\n${bullets(notes)}`);
}
