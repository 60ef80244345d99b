import type { Target } from '../targets/target.js';
import type { Finding } from './finding.js';
import type { LoginAttemptEvidence } from './login/login-attempt.js';
import type { LoginTransport } from './sql/sql-session.js';
import { checkNoPasswordless } from './auth/passwordless.js';
import { checkWrongPasswordRejected, judgePasswordDisabled } from './auth/password-logins.js';
import { checkScram } from './auth/postgres-auth-methods.js';
import { checkStrongPlugin } from './auth/strong-plugin.js';
import { checkNoAnonymous } from './auth/anonymous.js';
import { checkLockout } from './auth/lockout.js';
import { checkNoDefaultAdmin } from './auth/default-admin.js';
import { checkAppNotSuperuser } from './access/app-not-superuser.js';
import { checkLeastPrivilege } from './access/least-privilege.js';
import { checkPublicSchema } from './access/public-schema.js';
import { checkNoWildcardHosts } from './access/wildcard-hosts.js';
import { checkTimeBound } from './access/time-bound.js';
import { checkMasking } from './access/masking.js';

/** What an account check may ask of the target's other observations. */
export interface AccountCheckContext {
  target: Target;
  loginTransport(): Promise<LoginTransport>;
  login(transport: LoginTransport): Promise<LoginAttemptEvidence | undefined>;
}

type AccountCheck = (context: AccountCheckContext) => Promise<Finding>;

/** The probe behind each authentication and access control, by control id. */
export const ACCOUNT_CHECKS: Record<string, AccountCheck> = {
  'auth.no-passwordless': async ({ target, loginTransport }) => checkNoPasswordless(target, await loginTransport()),
  'auth.wrong-password-rejected': async ({ target, loginTransport }) => checkWrongPasswordRejected(target, await loginTransport()),
  'auth.password-disabled': async ({ login, loginTransport }) => judgePasswordDisabled(await login(await loginTransport())),
  'auth.scram': async ({ target, loginTransport }) => checkScram(target, await loginTransport()),
  'auth.strong-plugin': async ({ target, login, loginTransport }) => checkStrongPlugin(target, await login(await loginTransport())),
  'auth.no-anonymous': async ({ target, loginTransport }) => checkNoAnonymous(target, await loginTransport()),
  'auth.lockout': async ({ target, loginTransport }) => checkLockout(target, await loginTransport()),
  'auth.no-default-admin': async ({ target, loginTransport }) => checkNoDefaultAdmin(target, await loginTransport()),
  'access.app-not-superuser': ({ target }) => checkAppNotSuperuser(target),
  'access.least-privilege': ({ target }) => checkLeastPrivilege(target),
  'access.public-schema': ({ target }) => checkPublicSchema(target),
  'access.no-wildcard-hosts': ({ target }) => checkNoWildcardHosts(target),
  'access.time-bound': ({ target }) => checkTimeBound(target),
  'access.masking': ({ target }) => checkMasking(target),
};
