import { expectations, observations } from './observe-and-judge.js';

observations('When', [
  'the logging and audit settings are read as the auditor',
  "the server's clock is read a few times, each read timed by the harness",
  'a few logins with a run-scoped marker user name and a wrong password are made',
]);

expectations([
  'every connection and disconnection is written to the log, naming the user, the database and the client address',
  'an audit extension or plugin is loaded and configured to record something',
  "the server's time is within one second of the harness's, the round trip counted against it",
  'lines naming the marker and the client address appear in the declared log source within the wait',
]);
