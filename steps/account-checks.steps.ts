import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decideFinding, skipBecause } from '../support/decide.js';

/**
 * Authentication and access scenarios read alike: the When step makes (or collects, when it was
 * started early) the control's account check and attaches its evidence; the Then step judges it.
 */
const OBSERVATIONS: Array<{ when: string; evidence: string; control: string; then: string }> = [
  { control: 'auth.no-passwordless', when: 'every account the server knows is asked to log in without a password', evidence: 'logins without a password', then: 'no account gets in without one' },
  { control: 'auth.wrong-password-rejected', when: 'the application account logs in with a wrong password', evidence: 'login with a wrong password', then: 'the server refuses it as bad credentials' },
  { control: 'auth.password-disabled', when: 'the application account logs in with its right password', evidence: 'login with the right password', then: 'the server refuses the password login' },
  { control: 'auth.scram', when: 'the application account and an unknown user ask how to authenticate', evidence: 'authentication methods the server asks for', then: 'the server asks both for SCRAM-SHA-256' },
  {
    control: 'auth.strong-plugin',
    when: 'the accounts and their authentication plugins are read from the catalog',
    evidence: 'authentication plugins',
    then: 'no account with a password uses mysql_native_password or mysql_old_password',
  },
  { control: 'auth.no-anonymous', when: 'the empty user name and a made-up user name log in without a password', evidence: 'anonymous logins', then: 'both are refused and the catalog holds no anonymous account' },
  { control: 'auth.lockout', when: 'the sacrificial account is tried with a few wrong passwords in a row', evidence: 'wrong passwords in a row', then: 'the server locks the account or delays every refusal' },
  { control: 'auth.no-default-admin', when: 'well-known admin names are tried with a short list of common passwords', evidence: 'default admin guesses', then: 'none of them logs in' },
  { control: 'access.app-not-superuser', when: "the application account's privileges are read from the catalog", evidence: 'application account privileges', then: 'it holds no superuser power, directly or through a role' },
  {
    control: 'access.least-privilege',
    when: 'the privileges of every account are read from the catalog',
    evidence: 'privileged rights held',
    then: 'no ordinary account holds an administrative right beyond the declared ones',
  },
  { control: 'access.public-schema', when: 'the privileges on schema public are read from the catalog', evidence: 'privileges on schema public', then: 'PUBLIC may not create in it' },
  { control: 'access.no-wildcard-hosts', when: 'the accounts and their hosts are read from the catalog', evidence: 'accounts open to any host', then: 'no account is open to every host unless declared' },
  { control: 'access.time-bound', when: 'the login roles and their expiry are read from the catalog', evidence: 'login roles and expiry', then: 'every login role of a person carries an expiry' },
];

for (const { when, evidence, control, then } of OBSERVATIONS) {
  When(when, async function (this: ComplianceWorld) {
    await this.observe(evidence, this.probes.accountCheck(control));
  });
  Then(then, function (this: ComplianceWorld) {
    decideFinding(this);
  });
}

When('the masked role and the owner read the declared sensitive columns', async function (this: ComplianceWorld) {
  if (!this.target.masking) return skipBecause(this, 'no masked role and sensitive columns are declared for this target (masking: role, passwordEnv, columns)');
  await this.observe('masked and raw reads compared', this.probes.accountCheck('access.masking'));
});

Then("the masked role sees none of the owner's raw values", function (this: ComplianceWorld) {
  decideFinding(this);
});
