import { expectations, observations } from './observe-and-judge.js';

observations('When', ['the restore drill runs on the lab server']);

expectations(['the restored server holds every canary row committed before the target time and none committed after']);
