/**
 * What the harness knows about a server it started itself (a lab server): where its files are and
 * how its administrator reaches it without a password (the unix socket, which only the server's OS
 * user and root may open). Only lab targets carry one; controls that need the server's files, such
 * as the restore drill, are skipped on every other target. Plain data (type aliases, not
 * interfaces): the Target travels as Cucumber's JSON world parameters. No secret is part of it.
 */
export type LabHandle = PostgresLabHandle | MariaDbLabHandle;

export type PostgresLabHandle = {
  engine: 'postgres';
  /** Holds postgres, pg_basebackup, pg_verifybackup. */
  binDirectory: string;
  dataDirectory: string;
  /** The admin (POSTGRES_ADMIN_USER) logs in here with trust, also for replication (pg_basebackup). */
  socketDirectory: string;
  adminUser: string;
  /** The database the canary rows go to. */
  database: string;
  /** Where archive_command copies WAL segments; absent when the lab server archives nothing. */
  walArchiveDirectory?: string;
  /** PostgreSQL refuses to run as root: the OS identity its processes (and restored copies) run as. */
  runAs?: { uid: number; gid: number };
};

export type MariaDbLabHandle = {
  engine: 'mysql';
  /** mariadbd, to start a restored copy. */
  serverExecutable: string;
  dataDirectory: string;
  /** root logs in here by its OS identity (unix_socket). */
  socket: string;
  database: string;
  /** Server options a restored copy must share with the original (InnoDB file sizes). */
  innodbOptions: string[];
};
