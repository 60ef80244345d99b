/**
 * A catalog read refused for want of a privilege, on a target that declares no auditor: the
 * session read as the application account, and the reason says an auditor would read it (the
 * stockdev walkthrough: "SELECT command denied … mysql.user" left the user to guess).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { CatalogSession, isPermissionDenied } from '../../src/sessions/catalog-session.js';
import { EntraTokenSource } from '../../src/probes/identity/entra-token-source.js';

after(() => stopAllLocalServers());

const FORBIDDEN = { postgres: 'SELECT rolpassword FROM pg_authid', mysql: 'SELECT authentication_string FROM mysql.global_priv' } as const;

for (const engine of ['postgres', 'mysql'] as const) {
  test(`${engine}: a read the application account may not make names the missing auditor; with an auditor declared it does not`, async () => {
    const server = await startLocalServer(engine, 'hardened', { mode: 'process' });
    const declared = targetForLocalServer(`hint-${engine}`, server, 'baseline');
    const { auditor: _auditor, ...withoutAuditor } = declared;
    for (const [target, hinted] of [[withoutAuditor, true], [declared, false]] as const) {
      const session = new CatalogSession(target, new EntraTokenSource(target));
      try {
        const error = await session.read('the stored passwords', (sql) => sql.query(FORBIDDEN[engine])).then(
          () => assert.fail('the read should have been refused'),
          (caught: Error) => caught,
        );
        assert.match(error.message, /cannot read the stored passwords as/);
        if (hinted) assert.match(error.message, /no auditor account is declared for this target: declare one that may read the catalog/);
        else assert.doesNotMatch(error.message, /no auditor account is declared/);
      } finally {
        await session.close();
      }
    }
  });
}

test('isPermissionDenied: PostgreSQL 42501 and MySQL access-denied errors only', () => {
  assert.equal(isPermissionDenied({ code: '42501' }), true);
  assert.equal(isPermissionDenied({ code: 'ER_TABLEACCESS_DENIED_ERROR', errno: 1142 }), true);
  assert.equal(isPermissionDenied({ code: '57014' }), false);
  assert.equal(isPermissionDenied({ errno: 1045 }), false, 'a refused login is no missing privilege');
  assert.equal(isPermissionDenied(undefined), false);
});
