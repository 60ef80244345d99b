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

test('Azure says TLS 1.2 minimum, the server completes TLS 1.0: a disagreement in results.json that fails the run', async () => {
  const server = await startLocalServer('postgres', 'tls1.0-enabled');
  const plane = standInTarget(standIn, pgServerId('pg-compliant'), { profile: 'baseline' });
  const target = { ...targetForLocalServer('both-sides', server, 'baseline'), azure: plane.azure };
  // The stand-in's client secret was registered under the plane target's name; the run reads it under this one's.
  rememberAzureClientSecret(target.name, azureClientSecretFor(plane.name)!);
  const result = await runTarget(target, outDir, '@control:transport.no-tls1.0');
  const comparison = result.configurationVsBehaviour;
  assert.ok(comparison && 'rows' in comparison, JSON.stringify(comparison));
  const tls10 = comparison.rows.find((row) => row.aspect === 'TLS 1.0 handshake');
  assert.equal(tls10?.agrees, false, JSON.stringify(comparison.rows));
  assert.ok(comparison.disagreements >= 1);
  const document = { ...newResultsDocument(), targets: [{ ...result, controls: { 'transport.no-tls1.0': 'passed' as const } }] };
  assert.equal(runPassed(document), false, 'a disagreement alone fails the run, even with every control passed');
});
