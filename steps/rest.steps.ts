import { expectations, observations } from './observe-and-judge.js';

observations('When', ['the encryption plugins, the encryption settings and every InnoDB tablespace are read as the auditor']);

expectations(['an encryption plugin is active and every tablespace, the system one included, is encrypted, as are the redo log, the binary log and temporary files']);
