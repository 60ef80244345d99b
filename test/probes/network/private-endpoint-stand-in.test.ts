/**
 * network.private-endpoint on targets that declare their Azure resource: the host name resolves to
 * private addresses (a DNS stub on loopback), and the server's private endpoint connections are read
 * through the official SDKs from the Azure stand-in. A private address alone passed every row before;
 * a connection Azure does not report Approved must not count.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureStandIn, type StandInRoles } from '../../../src/lab/azure-stand-in/azure-stand-in.js';
import { mysqlServerId, pgServerId } from '../../../src/lab/azure-stand-in/stand-in-fleet.js';
import { runTarget } from '../../../src/runner/run-target.js';
import { rememberAzureClientSecret } from '../../../src/targets/secret-store.js';
import type { ProfileName, Target } from '../../../src/targets/target.js';
import { startDnsStub, type DnsStub } from '../../support/dns-stub.js';

const TIMEOUT_MS = 2000;
const HOST = 'db.private.test';
const TAGS = '@control:network.private-endpoint or @control:network.public-access-disabled';

let standIn: AzureStandIn;
let dns: DnsStub;
let outDir: string;
before(async () => {
  [standIn, dns, outDir] = await Promise.all([AzureStandIn.start(), startDnsStub({ [HOST]: ['10.20.30.40'] }), mkdtemp(join(tmpdir(), 'dbcomply-private-endpoint-'))]);
});
after(async () => {
  await Promise.all([standIn?.stop(), dns?.stop(), outDir && rm(outDir, { recursive: true, force: true })]);
});

let serial = 0;
/** A target reached by name (private answers), whose Azure resource is a stand-in server. */
function target(resourceId: string, options: { profile?: ProfileName; access?: 'private'; roles?: StandInRoles } = {}): Target {
  const registration = standIn.register(options.roles);
  const name = `pe-${++serial}`;
  rememberAzureClientSecret(name, registration.clientSecret);
  const engine = /DBforPostgreSQL/i.test(resourceId) ? 'postgres' : 'mysql';
  return {
    name,
    engine,
    host: HOST,
    port: engine === 'postgres' ? 5432 : 3306,
    profile: options.profile ?? 'strict',
    timeoutMs: TIMEOUT_MS,
    minCertDaysLeft: 30,
    network: { resolver: [dns.server], ...(options.access ? { access: options.access } : {}) },
    azure: { resourceId, tenantId: standIn.tenantId, clientId: registration.clientId, authorityHost: standIn.authorityHost, armEndpoint: standIn.armEndpoint, caFile: standIn.caFile },
  };
}

type Verdict = 'passed' | 'failed' | 'undecided' | 'skipped';
interface Row {
  label: string;
  resourceId: string;
  options?: Parameters<typeof target>[1];
  privateEndpoint: Verdict;
  reason: RegExp;
  publicAccess: Verdict;
}

const ROWS: Row[] = [
  { label: 'the compliant PostgreSQL server (one Approved connection)', resourceId: pgServerId('pg-compliant'), privateEndpoint: 'passed', reason: /10\.20\.30\.40 \(private\); pg-compliant on Azure stand-in .* has 1 approved private endpoint connection \(pg-compliant-pe\.pg-compliant to pg-compliant-pe \(Approved, Succeeded\)\)/, publicAccess: 'passed' },
  { label: 'the compliant MySQL server (one Approved connection)', resourceId: mysqlServerId('mysql-compliant'), privateEndpoint: 'passed', reason: /mysql-compliant on Azure stand-in .* has 1 approved private endpoint connection/, publicAccess: 'passed' },
  // The variants break this one thing: public access stays Disabled.
  { label: 'a PostgreSQL connection still Pending', resourceId: pgServerId('pg-private-endpoint-pending'), privateEndpoint: 'failed', reason: /no approved private endpoint connection \(pg-private-endpoint-pending-pe\.pg-private-endpoint-pending to pg-private-endpoint-pending-pe \(Pending, Succeeded\)\)/, publicAccess: 'passed' },
  { label: 'a MySQL connection Rejected', resourceId: mysqlServerId('mysql-private-endpoint-rejected'), privateEndpoint: 'failed', reason: /no approved private endpoint connection \(.*\(Rejected, Succeeded\)\)/, publicAccess: 'passed' },
  // The official examples as they are: PostgreSQL lists an empty array, MySQL no list at all.
  { label: 'the official PostgreSQL example (no connection, public)', resourceId: pgServerId('exampleserver'), privateEndpoint: 'failed', reason: /exampleserver on Azure stand-in .* has no private endpoint connection and no delegated subnet/, publicAccess: 'failed' },
  { label: 'the official MySQL example (no privateEndpointConnections in its body)', resourceId: mysqlServerId('mysqltestserver'), privateEndpoint: 'undecided', reason: /lists no privateEndpointConnections and no delegated subnet/, publicAccess: 'failed' },
  { label: 'a principal without Reader', resourceId: pgServerId('pg-compliant'), options: { roles: { armReader: false, vaultReader: false } }, privateEndpoint: 'undecided', reason: /the declared Azure resource could not be read.*HTTP 403/, publicAccess: 'undecided' },
  // Declaring private access in baseline now holds the public endpoint to account too.
  { label: 'private access declared in baseline, public access Enabled', resourceId: pgServerId('pg-public-access'), options: { profile: 'baseline', access: 'private' }, privateEndpoint: 'passed', reason: /1 approved private endpoint connection/, publicAccess: 'failed' },
  { label: 'baseline without a private access declaration', resourceId: pgServerId('pg-private-endpoint-pending'), options: { profile: 'baseline' }, privateEndpoint: 'skipped', reason: /baseline profile allows public access/, publicAccess: 'skipped' },
];

describe('network.private-endpoint with a declared Azure resource (Azure stand-in)', () => {
  for (const row of ROWS) {
    test(`${row.label}: private-endpoint ${row.privateEndpoint}, public-access-disabled ${row.publicAccess}`, async () => {
      const result = await runTarget(target(row.resourceId, row.options), outDir, TAGS);
      assert.equal(result.controls['network.private-endpoint'], row.privateEndpoint, result.reasons['network.private-endpoint']);
      assert.match(result.reasons['network.private-endpoint'] ?? '', row.reason);
      assert.equal(result.controls['network.public-access-disabled'], row.publicAccess, result.reasons['network.public-access-disabled']);
    });
  }
});
