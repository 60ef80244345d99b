import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decideFinding, skipBecause } from '../support/decide.js';
import { checkAppNotSuperuser } from '../src/probes/access/app-not-superuser.js';
import { checkLeastPrivilege } from '../src/probes/access/least-privilege.js';
import { checkPublicSchema } from '../src/probes/access/public-schema.js';
import { checkNoWildcardHosts } from '../src/probes/access/wildcard-hosts.js';
import { checkTimeBound } from '../src/probes/access/time-bound.js';
import { checkMasking } from '../src/probes/access/masking.js';

When("the application account's privileges are read from the catalog", async function (this: ComplianceWorld) {
  await this.observe('application account privileges', checkAppNotSuperuser(this.target));
});

When('the privileges of every account are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('privileged rights held', checkLeastPrivilege(this.target));
});

When('the privileges on schema public are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('privileges on schema public', checkPublicSchema(this.target));
});

When('the accounts and their hosts are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('accounts open to any host', checkNoWildcardHosts(this.target));
});

When('the login roles and their expiry are read from the catalog', async function (this: ComplianceWorld) {
  await this.observe('login roles and expiry', checkTimeBound(this.target));
});

When('the masked role and the owner read the declared sensitive columns', async function (this: ComplianceWorld) {
  if (!this.target.masking) return skipBecause(this, 'no masked role and sensitive columns are declared for this target (masking: role, passwordEnv, columns)');
  await this.observe('masked and raw reads compared', checkMasking(this.target));
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
