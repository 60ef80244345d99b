import { expectations, observations } from './observe-and-judge.js';

observations('When', ['the server is probed from every declared vantage point', "the target's host name is resolved"]);

expectations([
  'every denied source is dropped or refused before login while every allowed source reaches authentication',
  'no denied source receives a byte from the server while every allowed source hears it',
  'every address it resolves to is private',
]);
