/**
 * A target with both an endpoint and an Azure resource: the run sets Azure's configuration beside
 * what the probes saw, in results.json, and a disagreement fails the run. Real PostgreSQL from the
 * lab accepting TLS 1.0, and the Azure stand-in's compliant server saying TLS 1.2 minimum.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureStandIn } from '../../src/lab/azure-stand-in/azure-stand-in.js';
import { pgServerId } from '../../src/lab/azure-stand-in/stand-in-fleet.js';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { runTarget } from '../../src/runner/run-target.js';
import { runPassed } from '../../src/report/verdict-summary.js';
import { summaryLines } from '../../src/cli/terminal-summary.js';
import { newResultsDocument } from '../../src/runner/run-all.js';
import { azureClientSecretFor, rememberAzureClientSecret } from '../../src/targets/secret-store.js';
import { standInTarget } from '../probes/plane/plane-target.js';

let standIn: AzureStandIn;
const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-config-vs-behaviour-'));
before(async () => {
  standIn = await AzureStandIn.start();
});
after(async () => {
  await Promise.all([standIn?.stop(), stopAllLocalServers()]);
  await rm(outDir, { recursive: true, force: true });
});

/** A lab PostgreSQL server in the given configuration, declared as the stand-in's server: one run over both. */
async function runBothSides(name: string, configuration: string, standInServer: string, tags: string) {
  const server = await startLocalServer('postgres', configuration);
  const plane = standInTarget(standIn, pgServerId(standInServer), { profile: 'baseline' });
  const target = { ...targetForLocalServer(name, server, 'baseline'), azure: plane.azure };
  // The stand-in's client secret was registered under the plane target's name; the run reads it under this one's.
  rememberAzureClientSecret(target.name, azureClientSecretFor(plane.name)!);
  const result = await runTarget(target, outDir, tags);
  const comparison = result.configurationVsBehaviour;
  assert.ok(comparison && 'rows' in comparison, JSON.stringify(comparison));
  return { result, comparison };
}

test('Azure says TLS 1.2 minimum, the server completes TLS 1.0: a disagreement in results.json that fails the run', async () => {
  const { result, comparison } = await runBothSides('both-sides', 'tls1.0-enabled', 'pg-compliant', '@control:transport.no-tls1.0');
  const tls10 = comparison.rows.find((row) => row.aspect === 'TLS 1.0 handshake');
  assert.equal(tls10?.agrees, false, JSON.stringify(comparison.rows));
  assert.ok(comparison.disagreements >= 1);
  const document = { ...newResultsDocument(), targets: [{ ...result, controls: { 'transport.no-tls1.0': 'passed' as const } }] };
  assert.equal(runPassed(document), false, 'a disagreement alone fails the run, even with every control passed');
});

test('Azure raised the TLS floor to 1.3 pending a restart, the server still completes TLS 1.2: not in force, no disagreement, the run not failed for it', async () => {
  const { result, comparison } = await runBothSides('pending-floor', 'hardened', 'pg-tls-floor-pending-restart', '@control:transport.tls1.2');
  const tls12 = comparison.rows.find((row) => row.aspect === 'TLS 1.2 handshake');
  assert.equal(tls12?.observed, 'completed', JSON.stringify(comparison.rows));
  assert.equal(tls12?.agrees, undefined, JSON.stringify(tls12));
  assert.match(tls12?.notInEffect ?? '', /^ssl_min_protocol_version TLSv1\.3 is pending a restart \(isConfigPendingRestart true\)/);
  // The stand-in's authConfig says Entra-only and the lab server takes passwords: that one is real.
  assert.deepEqual(comparison.rows.filter((row) => row.agrees === false).map((row) => row.aspect), ['Entra-only authentication']);
  const lines = summaryLines(result).join('\n');
  assert.match(lines, /Azure configuration not in force: ssl_min_protocol_version TLSv1\.3 is pending a restart/);
  assert.equal(lines.split('\n').filter((line) => line.includes('ssl_min_protocol_version')).length, 1, `said once, not once per TLS version: ${lines}`);
});

test('Azure says log_connections on, the server logs no connection: the run that judged audit.connections-logged shows the disagreement from that read, and fails', async () => {
  const { result, comparison } = await runBothSides('logging-disagrees', 'connections-not-logged', 'pg-compliant', '@control:audit.connections-logged');
  assert.equal(result.controls['audit.connections-logged'], 'failed');
  const row = comparison.rows.find((entry) => entry.aspect === 'connection logging');
  assert.equal(row?.agrees, false, JSON.stringify(row));
  assert.match(row?.observed ?? '', /^log_connections = 'off' \(configuration file\): logs nothing/);
  assert.match(row?.finding ?? '', /Azure says log_connections 'on'/);
  assert.ok(comparison.disagreements >= 1);
  assert.equal(runPassed({ ...newResultsDocument(), targets: [result] }), false);
});

test('Azure says log_connections on and the hardened server logs connections: the rows agree, from a run whose tags read no settings (read after the run, its session closed again)', async () => {
  const { comparison } = await runBothSides('logging-agrees', 'hardened', 'pg-compliant', '@control:transport.no-tls1.0');
  const connections = comparison.rows.find((entry) => entry.aspect === 'connection logging');
  assert.equal(connections?.agrees, true, JSON.stringify(connections));
  const audit = comparison.rows.find((entry) => entry.aspect === 'audit logging');
  assert.equal(audit?.agrees, true, JSON.stringify(audit));
  assert.match(audit?.observed ?? '', /^the audit is writing: pgaudit is in shared_preload_libraries/);
});
