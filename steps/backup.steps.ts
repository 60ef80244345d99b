import { expectations, observations } from './observe-and-judge.js';

observations('When', ['the restore drill runs on the lab server', 'the archiving and binary log settings are read as the auditor']);

expectations([
  'the restored server holds every canary row committed before the target time and none committed after',
  'every change after a base backup is kept where a restore can replay it',
]);
