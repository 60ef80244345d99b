import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decideFinding } from '../support/decide.js';

When('every account the server knows is asked to log in without a password', async function (this: ComplianceWorld) {
  await this.observe('logins without a password', this.probes.accountCheck('auth.no-passwordless'));
});

When('the application account logs in with a wrong password', async function (this: ComplianceWorld) {
  await this.observe('login with a wrong password', this.probes.accountCheck('auth.wrong-password-rejected'));
});

When('the application account logs in with its right password', async function (this: ComplianceWorld) {
  await this.observe('login with the right password', this.probes.accountCheck('auth.password-disabled'));
});

When('the application account and an unknown user ask how to authenticate', async function (this: ComplianceWorld) {
  await this.observe('authentication methods the server asks for', this.probes.accountCheck('auth.scram'));
});

When('the accounts and their authentication plugins are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('authentication plugins', this.probes.accountCheck('auth.strong-plugin'));
});

When('the empty user name and a made-up user name log in without a password', async function (this: ComplianceWorld) {
  await this.observe('anonymous logins', this.probes.accountCheck('auth.no-anonymous'));
});

When('the sacrificial account is tried with a few wrong passwords in a row', async function (this: ComplianceWorld) {
  await this.observe('wrong passwords in a row', this.probes.accountCheck('auth.lockout'));
});

When('well-known admin names are tried with a short list of common passwords', async function (this: ComplianceWorld) {
  await this.observe('default admin guesses', this.probes.accountCheck('auth.no-default-admin'));
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
