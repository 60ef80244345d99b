import { expectations, observations } from './observe-and-judge.js';

observations('When', ['the encryption plugins, the encryption settings, every InnoDB tablespace and the user tables by storage engine are read as the auditor']);

expectations(['an encryption plugin is active and every tablespace, the system one included, is encrypted, as are the redo log, the binary log and temporary files, and no user table is kept in an engine that leaves its rows unencrypted']);
