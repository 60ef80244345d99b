import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decideFinding, skipBecause } from '../support/decide.js';

When("the application account's privileges are read from the catalog", async function (this: ComplianceWorld) {
  await this.observe('application account privileges', this.probes.accountCheck('access.app-not-superuser'));
});

When('the privileges of every account are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('privileged rights held', this.probes.accountCheck('access.least-privilege'));
});

When('the privileges on schema public are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('privileges on schema public', this.probes.accountCheck('access.public-schema'));
});

When('the accounts and their hosts are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('accounts open to any host', this.probes.accountCheck('access.no-wildcard-hosts'));
});

When('the login roles and their expiry are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('login roles and expiry', this.probes.accountCheck('access.time-bound'));
});

When('the masked role and the owner read the declared sensitive columns', async function (this: ComplianceWorld) {
  if (!this.target.masking) return skipBecause(this, 'no masked role and sensitive columns are declared for this target (masking: role, passwordEnv, columns)');
  await this.observe('masked and raw reads compared', this.probes.accountCheck('access.masking'));
});

for (const outcome of [
  'it holds no superuser power, directly or through a role',
  'no ordinary account holds an administrative right beyond the declared ones',
  'PUBLIC may not create in it',
  'no account is open to every host unless declared',
  'every login role of a person carries an expiry',
  "the masked role sees none of the owner's raw values",
]) {
  Then(outcome, function (this: ComplianceWorld) {
    decideFinding(this);
  });
}
