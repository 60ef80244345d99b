/**
 * A pass that counts accounts names them in its evidence: auth.no-passwordless ("8 accounts
 * listed") and access.no-wildcard-hosts ("none of 7 accounts that can log in") on MariaDB attached
 * only the number, so an auditor could not tell which accounts the catalog showed, nor check the
 * count. Real MariaDB, hardened (its accounts are known) and with one account added at host '%'.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { noPasswordless } from '../../../src/probes/auth/passwordless.js';
import { noWildcardHosts } from '../../../src/probes/access/wildcard-hosts.js';
import { decideCheck } from '../../support/decide-check.js';

after(() => stopAllLocalServers());

test('auth.no-passwordless and access.no-wildcard-hosts on MariaDB list the accounts their counts count', async () => {
  const server = await startLocalServer('mysql', 'wildcard-host', { mode: 'process' });
  const target = targetForLocalServer('account-lists', server, 'baseline');

  const passwordless = await decideCheck(noPasswordless, target);
  assert.equal(passwordless.decision.verdict, 'passed', passwordless.decision.reason);
  const evidence = passwordless.evidence as { catalog: string; accountsListed?: string[] };
  const listed = evidence.accountsListed ?? [];
  for (const account of ["'app'@'127.0.0.1'", "'auditor'@'127.0.0.1'", "'report_any'@'%'"]) assert.ok(listed.includes(account), `${account} in ${JSON.stringify(listed)}`);
  assert.match(passwordless.decision.reason, new RegExp(`; ${listed.length} accounts listed`));

  const wildcard = await decideCheck(noWildcardHosts, target);
  assert.equal(wildcard.decision.verdict, 'failed', wildcard.decision.reason);
  const hosts = wildcard.evidence!;
  assert.equal(hosts.accounts?.length, hosts.accountsChecked);
  for (const account of ["'app'@'127.0.0.1'", "'report_any'@'%'"]) assert.ok(hosts.accounts?.includes(account), `${account} in ${JSON.stringify(hosts.accounts)}`);
  assert.ok(listed.length >= hosts.accountsChecked, 'the accounts that can log in are among those listed');
});
