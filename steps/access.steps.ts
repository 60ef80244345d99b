import { expectations, observations } from './observe-and-judge.js';

observations('When', [
  "the application account's privileges are read from the catalog",
  'the privileges of every account are read from the catalog',
  'the privileges on schema public are read from the catalog',
  'the accounts and their hosts are read from the catalog',
  'the login roles and their expiry are read from the catalog',
  'the masked role and the owner read the declared sensitive columns',
]);

expectations([
  'it holds no superuser power, directly or through a role',
  'no ordinary account holds an administrative right beyond the declared ones',
  'PUBLIC may not create in it',
  'no account is open to every host unless declared',
  'every login role of a person carries an expiry',
  "the masked role sees none of the owner's raw values",
]);
