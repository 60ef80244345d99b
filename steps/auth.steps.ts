import { expectations, observations } from './observe-and-judge.js';

observations('When', [
  'every account the server knows is asked to log in without a password',
  'the application account logs in with a wrong password',
  'every declared local account logs in with its right password',
  'the application account and an unknown user ask how to authenticate',
  'the accounts and their authentication plugins are read from the catalog',
  'the empty user name and a made-up user name log in without a password',
  'the sacrificial account is tried with a few wrong passwords in a row',
  'well-known admin names are tried with a short list of common passwords',
  'the declared Entra principal logs in over TLS with a token, a tampered token and an expired token',
]);

expectations([
  'no account gets in without one',
  'the server refuses it as bad credentials',
  'the server refuses every password login',
  'the server asks both for SCRAM-SHA-256',
  'no account with a password uses mysql_native_password or mysql_old_password',
  'both are refused and the catalog holds no anonymous account',
  'the server locks the account or delays every refusal',
  'none of them logs in',
  'the valid token is accepted and the server refuses the tampered and the expired token',
]);
