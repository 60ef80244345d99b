import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decideFinding } from '../support/decide.js';
import { checkNoPasswordless } from '../src/probes/auth/passwordless.js';
import { checkWrongPasswordRejected, judgePasswordDisabled } from '../src/probes/auth/password-logins.js';
import { checkScram } from '../src/probes/auth/postgres-auth-methods.js';
import { checkStrongPlugin } from '../src/probes/auth/strong-plugin.js';
import { checkNoAnonymous } from '../src/probes/auth/anonymous.js';
import { checkLockout } from '../src/probes/auth/lockout.js';
import { checkNoDefaultAdmin } from '../src/probes/auth/default-admin.js';

When('every account the server knows is asked to log in without a password', async function (this: ComplianceWorld) {
  await this.observe('logins without a password', checkNoPasswordless(this.target, await this.probes.loginTransport()));
});

When('the application account logs in with a wrong password', async function (this: ComplianceWorld) {
  await this.observe('login with a wrong password', checkWrongPasswordRejected(this.target, await this.probes.loginTransport()));
});

When('the application account logs in with its right password', async function (this: ComplianceWorld) {
  await this.observe('login with the right password', Promise.resolve(judgePasswordDisabled(await this.probes.login(await this.probes.loginTransport()))));
});

When('the application account and an unknown user ask how to authenticate', async function (this: ComplianceWorld) {
  await this.observe('authentication methods the server asks for', checkScram(this.target, await this.probes.loginTransport()));
});

When('the accounts and their authentication plugins are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('authentication plugins', checkStrongPlugin(this.target, await this.probes.login(await this.probes.loginTransport())));
});

When('the empty user name and a made-up user name log in without a password', async function (this: ComplianceWorld) {
  await this.observe('anonymous logins', checkNoAnonymous(this.target, await this.probes.loginTransport()));
});

When('the sacrificial account is tried with a few wrong passwords in a row', async function (this: ComplianceWorld) {
  await this.observe('wrong passwords in a row', checkLockout(this.target, await this.probes.loginTransport()));
});

When('well-known admin names are tried with a short list of common passwords', async function (this: ComplianceWorld) {
  await this.observe('default admin guesses', checkNoDefaultAdmin(this.target, await this.probes.loginTransport()));
});

for (const outcome of [
  'no account gets in without one',
  'the server refuses it as bad credentials',
  'the server refuses the password login',
  'the server asks both for SCRAM-SHA-256',
  'no account with a password uses mysql_native_password or mysql_old_password',
  'both are refused and the catalog holds no anonymous account',
  'the server locks the account or delays every refusal',
  'none of them logs in',
]) {
  Then(outcome, function (this: ComplianceWorld) {
    decideFinding(this);
  });
}
