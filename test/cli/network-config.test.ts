/**
 * A config file's network declaration reaches the probes through the CLI: a firewalled server
 * passes the network area and the run exits 0; the same server without its firewall fails.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { createNetworkLab } from '../support/network-lab.js';
import { stringify } from 'yaml';
import { runCli } from './run-command.js';

/** The Azure plane's network controls: skipped on a lab target, which declares no Azure resource. */
const PLANE_NETWORK_SKIPPED = { 'network.public-access-disabled': 'skipped', 'network.no-open-firewall': 'skipped' } as const;

const lab = await createNetworkLab();
const dir = await mkdtemp(join(tmpdir(), 'dbcomply-network-cli-'));
after(async () => {
  await stopAllLocalServers();
  await lab.teardown();
  await rm(dir, { recursive: true, force: true });
});

test(`a config target with vantage points is judged from them (lab mode: ${lab.mode})`, async () => {
  const server = await startLocalServer('mysql', 'hardened', { exposure: lab.exposure('everyone') });
  const config = join(dir, 'dbcomply.yaml');
  const entry = { name: 'lab', url: `mysql://app@${lab.serverAddress}:${server.port}/app`, timeout: 2000, network: { from: lab.vantagePoints() } };
  await writeFile(config, stringify({ targets: [entry] }));
  const open = await runCli(['run', '--config', config, '--tags', '@area:network', '--out', join(dir, 'open')]);
  assert.equal(open.code, 1, open.stdout + open.stderr);
  assert.match(open.stdout, /^lab\s+baseline\s+network\s+FAILED/m);
  if (lab.mode !== 'namespaces') return;
  await lab.blockOutside(server.port, 'drop');
  const firewalled = await runCli(['run', '--config', config, '--tags', '@area:network', '--out', join(dir, 'firewalled')]);
  assert.equal(firewalled.code, 0, firewalled.stdout + firewalled.stderr);
  const results = JSON.parse(await readFile(join(dir, 'firewalled', 'results.json'), 'utf8'));
  assert.deepEqual(results.targets[0].controls, { 'network.allowlist': 'passed', 'network.no-banner': 'passed', 'network.private-endpoint': 'skipped', ...PLANE_NETWORK_SKIPPED });
  assert.match(results.targets[0].reasons['network.allowlist'], /outside \(network namespace \S+, expected denied\): dropped/);
});
