import type { Engine } from '../targets/target.js';
import type { LabHandle } from '../targets/lab-handle.js';
import type { ServerConfiguration } from './server-configurations.js';

// What a started lab server is, apart from how it is started (local-server.ts), so the providers
// that start one (processes, containers) and the starter do not import each other.

/** A database server the lab started for this process, reachable on the loopback address. */
export interface LocalServer {
  engine: Engine;
  configuration: ServerConfiguration;
  host: '127.0.0.1';
  port: number;
  /** An ordinary application account (not a superuser) that owns `database`. */
  user: string;
  password: string;
  database: string;
  /** The CA bundle a client should trust for this server. */
  caFile: string;
  /** As the server reports it, e.g. "15.18 (Debian 15.18-0+deb12u1)" or "10.11.19-MariaDB-0+deb12u1". */
  serverVersion: string;
  /** The accounts the account checks use; absent where the provider has only the application account. */
  accounts?: LocalServerAccounts;
  provider: 'local-process' | 'testcontainers';
  /** What the server wrote to its log so far (local processes only): shows which logins it saw. */
  serverLog?: () => string;
  /** Where a local process writes its log and audit trail (the target's declared log source). */
  logFiles?: string[];
  /** Where a local process keeps its data, configuration and socket; gone after stop(). */
  workDirectory?: string;
  /** Local processes only: its files and admin socket, handed to the target for the restore drill. */
  lab?: LabHandle;
  /** Present when started withIdentityStandIn: an Entra-style account and how a client gets its tokens. */
  identityStandIn?: StandInLogin;
  /** Stops the server and removes what it left on disk; safe to call more than once. */
  stop(): Promise<void>;
}

export interface LocalServerAccounts {
  auditor: { user: string; password: string };
  masked: { role: string; password: string; columns: string[] };
  lockoutUser: string;
  /** Service accounts, as opposed to people. */
  workload: string[];
  /** Accounts given privileged rights on purpose (the auditor that reads the log over SQL), declared in allow.privileged. */
  privileged: string[];
}

/** What a client needs to log in to the server's Entra-style account through the local identity stand-in. */
export interface StandInLogin {
  /** The account's name on the server and the principal name in the tokens. */
  principal: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The CA the stand-in's HTTPS certificate chains to. */
  caFile: string;
}

/** The server account the stand-in's tokens are issued for. */
export const STAND_IN_PRINCIPAL = 'dbcomply-entra-app';

