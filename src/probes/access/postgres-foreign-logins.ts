import { BlockList, isIP } from 'node:net';
import type { SqlSession } from '../../sessions/sql-session.js';
import type { roleReach } from './postgres-database-rights.js';

/**
 * Logins a role is handed through foreign servers: a user mapping of a postgres_fdw or dblink_fdw
 * server that names another role and carries its password. postgres_fdw and dblink refuse a role
 * that is not a superuser a connection without a password (postgres_fdw also one the other server
 * let in without asking for it, unless a superuser set password_required 'false' on the mapping), so
 * a stored password, or that option, is what makes a mapping a login. Observed on lab servers 13, 15
 * and 18: with USAGE on a postgres_fdw server to this server's Unix socket and a user mapping for
 * PUBLIC naming postgres with password_required 'false', the application created a foreign table
 * over pg_catalog.pg_authid and set its own rolsuper; with a mapping for itself naming postgres with
 * postgres's password on 127.0.0.1, likewise. dblink_fdw's validator refuses password_required
 * ('invalid option', lab 13, 15 and 18), so on its servers only a stored password can make a login:
 * the option counted there never meets a dblink_fdw mapping that would not log in.
 *
 * Which mapping a connection uses is the current user's own, else PUBLIC's (GetUserMapping): the
 * application's, and after SET ROLE those of each role it may SET ROLE to; each needs USAGE on the
 * server (dblink and CREATE FOREIGN TABLE check it). USAGE also lets a role drop its own mapping
 * (user_mapping_ddl_aclcheck), after which PUBLIC's is the one it uses: both count, its own never
 * hides PUBLIC's (seen on lab 15 and 18). A role that may use a server may also create its own
 * mapping, but with only a password it knows, and password_required is superuser-only: that gives
 * it no login it did not have.
 *
 * USAGE is checked when a foreign table is created, not when it is used or altered: the owner of a
 * postgres_fdw foreign table may point it at any relation (ALTER FOREIGN TABLE ... OPTIONS) and
 * read and write it through the mapping. Seen on lab 15 and 18: the application created a foreign
 * table while it held USAGE; with USAGE revoked it repointed the table at pg_catalog.pg_authid and
 * set its own rolsuper through PUBLIC's mapping as postgres, while access.app-not-superuser passed
 * ("0 foreign servers"). Owning a foreign table of the server counts as using it; without USAGE it
 * cannot drop its own mapping, so PUBLIC's behind its own does not count then.
 */

/** One user mapping a role may use, with what the reading account could see of its options (never the password). */
export interface ForeignLogin {
  server: string;
  wrapper: string;
  /** The wrapper's validator: postgres_fdw_validator, dblink_fdw_validator, or '' (none: any option passes, for either to use). */
  validator: string;
  /** The role that uses it: the one judged, or one it may SET ROLE to. */
  usedAs: string;
  /** Through whom usedAs holds USAGE on the server: itself, PUBLIC, roles it inherits; empty when it owns the server (or is a member of its owner), or holds no USAGE (`withoutUsage`). */
  usageVia: string[];
  /**
   * Foreign tables of the server that usedAs owns (itself or as a member of their owner): an owner
   * may point one at any relation the mapping's role may touch there (ALTER FOREIGN TABLE ...
   * OPTIONS), with or without USAGE on the server. `names`: the first few, schema-qualified.
   * Absent when it owns none, and in evidence from before they were read.
   */
  ownedForeignTables?: { count: number; names: string[] };
  /** usedAs holds no USAGE on the server: only its foreign tables there make the mapping its login. */
  withoutUsage?: true;
  /** The role the mapping is for, or 'PUBLIC'. */
  mappingFor: string;
  /** PUBLIC's mapping, where usedAs has one of its own: used once usedAs drops its own, which USAGE lets it do. */
  behindOwn?: true;
  /** Null when the reading account may not see the mapping's options (pg_user_mappings shows NULL). */
  options: ForeignLoginOptions | null;
  /** The role it logs in as when that is a role of this server, and what that role may do here; absent when the options are unread or name no user. */
  login?: LoginPower;
}

/** Where and as whom the connection goes: the wrapper's, server's and mapping's options, the later winning, as libpq takes them. */
export interface ForeignLoginOptions {
  host?: string;
  hostaddr?: string;
  port?: string;
  /** A pg_service.conf entry of the server's operating-system user: host and user may come from it. */
  service?: string;
  user?: string;
  /** A non-empty password option is there (its value is never read). */
  password: boolean;
  /** password_required is set to false (only a superuser may set it): postgres_fdw then connects without one. */
  passwordNotRequired: boolean;
}

export interface LoginPower {
  role: string;
  /** No user option: libpq logs in as the server's operating-system user's name, which initdb gives the bootstrap superuser; this is that superuser. */
  assumed?: true;
  exists: boolean;
  canLogin: boolean;
  /** Each way the role has superuser power here (app-not-superuser's reading, its own foreign logins included). */
  superuserPaths: string[];
  /** Ways it may have superuser power that could not be decided. */
  undecided: string[];
}

export interface ForeignLoginsRead {
  database: string;
  /** Names and addresses of this server: the target's host, and the address the catalog session reached (inet_server_addr). */
  thisServer: string[];
  /** This server's port (its port setting): a mapping to this host on another port reaches another cluster. Absent in evidence from before. */
  thisPort?: string;
  logins: ForeignLogin[];
  /** Servers it may use whose wrapper is neither libpq's kind (postgres_fdw, dblink_fdw) nor unvalidated: "name (wrapper)". */
  otherServers: string[];
}

type Reach = Awaited<ReturnType<typeof roleReach>>;

/** SQL: the last value of option `name` in the text[] `opts`, as libpq takes the last of a repeated keyword. */
const option = (name: string) => `(SELECT t.value FROM pg_options_to_table(opts) WITH ORDINALITY AS t(name, value, n) WHERE t.name = '${name}' ORDER BY t.n DESC LIMIT 1)`;

/** The mappings `role` (not a superuser) may use, in the session's database. */
export async function readForeignLogins(session: SqlSession, role: string, reach: Reach, thisServer: readonly string[]): Promise<ForeignLoginsRead> {
  const rows = await session.query<{
    used_as: string;
    srvname: string;
    fdwname: string;
    validator: string;
    libpq: boolean;
    mapping_for: string;
    behind_own: boolean;
    usage_via: string[];
    has_usage: boolean;
    owned_count: number;
    owned_names: string[];
    visible: boolean;
    host: string | null;
    hostaddr: string | null;
    port: string | null;
    service: string | null;
    username: string | null;
    password: boolean;
    password_required: string | null;
  }>(
    `WITH owned_tables AS (
       -- Only a wrapper with a handler (postgres_fdw) reads a foreign table; dblink asks for USAGE on the server itself.
       SELECT ft.ftserver, c.relowner, format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_foreign_server fs ON fs.oid = ft.ftserver JOIN pg_foreign_data_wrapper fw ON fw.oid = fs.srvfdw
        WHERE fw.fdwhandler <> 0
     ),
     used AS (
       SELECT i.rolname AS used_as, s.srvname, w.fdwname, coalesce(v.proname, '') AS validator,
              (w.fdwvalidator = 0 OR v.proname IN ('postgres_fdw_validator', 'dblink_fdw_validator')) AS libpq,
              CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE m.usename::text END AS mapping_for,
              (m.umuser = 0 AND EXISTS (SELECT 1 FROM pg_user_mappings o WHERE o.srvid = s.oid AND o.umuser = i.oid)) AS behind_own,
              ARRAY(SELECT DISTINCT coalesce(g.rolname, 'PUBLIC') FROM aclexplode(s.srvacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee
                     WHERE a.privilege_type = 'USAGE' AND (a.grantee = 0 OR pg_has_role(i.oid, g.oid, 'USAGE')) ORDER BY 1)::text[] AS usage_via,
              has_server_privilege(i.oid, s.oid, 'USAGE') AS has_usage,
              (SELECT count(*)::int FROM owned_tables t WHERE t.ftserver = s.oid AND pg_has_role(i.oid, t.relowner, 'USAGE')) AS owned_count,
              ARRAY(SELECT t.name FROM owned_tables t WHERE t.ftserver = s.oid AND pg_has_role(i.oid, t.relowner, 'USAGE') ORDER BY 1 LIMIT ${NAMED_OWNED_TABLES})::text[] AS owned_names,
              -- pg_user_mappings' own test for showing umoptions: where it fails, NULL means hidden, not empty.
              coalesce((m.umuser <> 0 AND m.usename = current_user AND (pg_has_role(s.srvowner, 'USAGE') OR has_server_privilege(s.oid, 'USAGE')))
                       OR (m.umuser = 0 AND pg_has_role(s.srvowner, 'USAGE'))
                       OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS visible,
              w.fdwoptions, s.srvoptions, m.umoptions
         FROM pg_roles r
         JOIN pg_roles i ON NOT i.rolsuper AND ${reach.sets('r.oid', 'i.oid')}
         -- USAGE, or a foreign table of the server it owns: its owner may repoint it, with USAGE revoked or never held.
         JOIN pg_foreign_server s ON has_server_privilege(i.oid, s.oid, 'USAGE')
                                  OR EXISTS (SELECT 1 FROM owned_tables t WHERE t.ftserver = s.oid AND pg_has_role(i.oid, t.relowner, 'USAGE'))
         JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
         LEFT JOIN pg_proc v ON v.oid = w.fdwvalidator
         -- Its own mapping and PUBLIC's: USAGE lets it drop its own, and PUBLIC's is then the one it uses.
         JOIN pg_user_mappings m ON m.srvid = s.oid AND m.umuser IN (i.oid, 0::oid)
        WHERE r.rolname = $1 AND NOT r.rolsuper
     )
     SELECT used_as, srvname, fdwname, validator, libpq, mapping_for, behind_own, usage_via, has_usage, owned_count, owned_names, visible,
            ${option('host')} AS host, ${option('hostaddr')} AS hostaddr, ${option('port')} AS port, ${option('service')} AS service,
            ${option('user')} AS username, coalesce(${option('password')} <> '', false) AS password, ${option('password_required')} AS password_required
       FROM used CROSS JOIN LATERAL (SELECT coalesce(fdwoptions, '{}') || coalesce(srvoptions, '{}') || CASE WHEN visible THEN coalesce(umoptions, '{}') ELSE '{}' END AS opts) o
      ORDER BY srvname, used_as, mapping_for = 'PUBLIC'`,
    [role],
  );
  const [{ database, port }] = await session.query<{ database: string; port: string }>("SELECT current_database() AS database, current_setting('port') AS port");
  return {
    database,
    thisServer: [...thisServer],
    thisPort: port,
    otherServers: [...new Set(rows.filter((row) => !row.libpq).map((row) => `${row.srvname} (${row.fdwname})`))],
    logins: rows
      // Dropping its own mapping takes USAGE (user_mapping_ddl_aclcheck): without it, PUBLIC's stays behind its own.
      .filter((row) => row.libpq && (row.has_usage || !row.behind_own))
      .map((row) => ({
        server: row.srvname,
        wrapper: row.fdwname,
        validator: row.validator,
        usedAs: row.used_as,
        usageVia: row.has_usage ? row.usage_via : [],
        ...(row.owned_count > 0 ? { ownedForeignTables: { count: row.owned_count, names: row.owned_names } } : {}),
        ...(row.has_usage ? {} : { withoutUsage: true as const }),
        mappingFor: row.mapping_for,
        ...(row.behind_own ? { behindOwn: true as const } : {}),
        options: row.visible
          ? {
              ...(row.host === null ? {} : { host: row.host }),
              ...(row.hostaddr === null ? {} : { hostaddr: row.hostaddr }),
              ...(row.port === null ? {} : { port: row.port }),
              ...(row.service === null ? {} : { service: row.service }),
              ...(row.username === null ? {} : { user: row.username }),
              password: row.password,
              passwordNotRequired: row.password_required !== null && FALSE_WORDS.test(row.password_required.trim()),
            }
          : null,
      })),
  };
}

/** Foreign tables named per server in the evidence; the rest are counted. */
const NAMED_OWNED_TABLES = 5;

/** What PostgreSQL's boolean options read as false (parse_bool accepts prefixes of false, no, off): leaning to false fails, never passes. */
const FALSE_WORDS = /^(f|fa|fal|fals|false|n|no|of|off|0)$/i;

/**
 * The role a readable mapping logs in as: its user option; else, with no service to name one, the
 * server's operating-system user's name (libpq's default), which initdb gives the bootstrap
 * superuser: `bootstrap`, counted as that superuser; else (a service) unknown.
 */
export function loginNameOf(options: ForeignLoginOptions): { user: string } | 'bootstrap' | undefined {
  if (options.user !== undefined) return { user: options.user };
  return options.service === undefined ? 'bootstrap' : undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('0.0.0.0', 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addAddress('::', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/**
 * Whether one libpq host (or hostaddr) entry is this database host: a Unix socket (a path, an
 * abstract '@' name, or empty: libpq's default socket), localhost, a loopback or unspecified address
 * (Linux connects 0.0.0.0 to itself), or a name or address this server is known by. Another port
 * there is another cluster on the same host, counted as here too: on Debian every cluster runs as
 * the same operating-system user, whose peer login is a superuser in each; a role this server does
 * not have, or has without superuser power, is undecided there (otherPorts), since its power in
 * that cluster cannot be read from here.
 */
function isThisHost(entry: string, thisServer: readonly string[]): boolean {
  const name = entry.trim().toLowerCase().replace(/\.$/, '');
  if (name === '' || name.startsWith('/') || name.startsWith('@') || name === 'localhost' || name.endsWith('.localhost')) return true;
  const family = isIP(name);
  if (family !== 0 && LOOPBACK.check(name, family === 4 ? 'ipv4' : 'ipv6')) return true;
  return thisServer.some((known) => known.trim().toLowerCase() === name);
}

/** Where a mapping connects: 'here' when any host it may try is this server's, 'unknown' when a service file says. */
function placeOf(options: ForeignLoginOptions, thisServer: readonly string[]): { where: 'here' | 'elsewhere' | 'unknown'; text: string } {
  const entries = [...(options.hostaddr?.split(',') ?? []), ...(options.host?.split(',') ?? [])];
  const port = options.port ? ` port ${options.port}` : '';
  if (entries.length > 0) {
    const named = [options.hostaddr && `hostaddr ${options.hostaddr}`, options.host !== undefined && `host ${options.host === '' ? "''" : options.host}`].filter(Boolean).join(', ');
    return entries.some((entry) => isThisHost(entry, thisServer)) ? { where: 'here', text: `${named}${port}, this database host` } : { where: 'elsewhere', text: `${named}${port}` };
  }
  if (options.service !== undefined) return { where: 'unknown', text: `the host of service "${options.service}" in the server's pg_service.conf` };
  return { where: 'here', text: `libpq's default Unix socket${port} (no host option), this database host` };
}

/** libpq's port when none is given (DEF_PGPORT, as every packaged build has it). */
const LIBPQ_DEFAULT_PORT = '5432';

/**
 * The ports other than this server's that a mapping to this host may try: another cluster on the
 * same host, whose roles the catalog here does not show. On one host the clusters usually run as one
 * operating-system user (Debian's do), so a superuser there reaches this one's files.
 */
function otherPorts(options: ForeignLoginOptions, thisPort: string | undefined): string[] {
  if (thisPort === undefined) return [];
  const ports = (options.port ?? '').split(',').map((port) => port.trim() || LIBPQ_DEFAULT_PORT);
  return [...new Set(ports.filter((port) => port !== thisPort.trim()))];
}

/**
 * Judges the mappings `role` may use: a path to superuser power when one logs in to this host as a
 * role with superuser power here; undecided when its options could not be read, or when it logs in
 * as such a role elsewhere (whether "elsewhere" is this server under another name or address cannot
 * be told from the catalog: if it is another server, that is a superuser's login there, a lateral
 * path this control does not judge); not counted otherwise, with why, for a pass to name.
 */
export function judgeForeignLogins(read: ForeignLoginsRead, role: string): { paths: string[]; undecided: string[]; lookedFor: string } {
  const paths: string[] = [];
  const undecided: string[] = [];
  const notCounted: string[] = [];
  for (const login of read.logins) {
    const itself = login.usedAs === role ? 'it' : login.usedAs;
    const grantee = (name: string) => (name === login.usedAs ? `granted to ${itself}` : name === 'PUBLIC' ? 'granted to PUBLIC' : `through role ${name}`);
    const owned = login.ownedForeignTables;
    const tables = owned ? `${owned.names.join(', ')}${owned.count > owned.names.length ? ` and ${owned.count - owned.names.length} more` : ''}` : '';
    const usage = login.withoutUsage
      ? `no USAGE, but ${itself} owns its foreign table${owned && owned.count > 1 ? 's' : ''} ${tables}, which an owner may point at any relation there (ALTER FOREIGN TABLE ... OPTIONS)`
      : login.usageVia.length === 0
        ? `${itself} owns the server`
        : `USAGE ${login.usageVia.map(grantee).join(', ')}`;
    const what = `foreign server "${login.server}" (${login.wrapper}, ${login.usedAs === role ? '' : `after SET ROLE ${login.usedAs}, `}${usage}) and the user mapping for ${login.mappingFor}${login.behindOwn ? ` (${itself} may drop its own mapping for ${login.usedAs})` : ''}`;
    if (login.options === null) {
      undecided.push(`${what}: the reading account may not see the mapping's options (pg_user_mappings shows them only to the mapped role itself, to a member of the server's owner for a PUBLIC mapping, and to a superuser), so whether it hands over a superuser's login is unknown`);
      continue;
    }
    const options = login.options;
    if (!options.password && !options.passwordNotRequired) {
      notCounted.push(`${what}: no stored password (a role that is not a superuser is refused a connection without one)`);
      continue;
    }
    const credential = options.password ? 'a stored password' : "password_required 'false'";
    const place = placeOf(options, read.thisServer);
    const power = login.login;
    if (power === undefined) {
      (place.where === 'elsewhere' ? notCounted : undecided).push(`${what}: ${credential}, to ${place.text}, as the user its service "${options.service}" names in the server's pg_service.conf, which cannot be read from here`);
      continue;
    }
    const who = power.assumed ? `"${power.role}" (no user option: libpq logs in as the server's operating-system user's name, which initdb gives the bootstrap superuser)` : `"${power.role}"`;
    // To this host on another port: what the role may do in that cluster cannot be read from here.
    const elsewhereHere = place.where === 'here' ? otherPorts(options, read.thisPort) : [];
    const otherCluster = (here: string) =>
      `${what}: ${credential}, as ${who}, to ${place.text}, on port ${elsewhereHere.join(', ')}${options.port === undefined ? " (libpq's default: no port option)" : ''} where this server listens on ${read.thisPort}: another cluster on this host, whose roles cannot be read from here (${here}); on one host the clusters usually run as one operating-system user, so a superuser there reaches this server's files`;
    if (!power.exists || !power.canLogin) {
      const here = power.exists ? 'here it may not log in' : 'here it is no role';
      if (elsewhereHere.length > 0) undecided.push(otherCluster(here));
      else notCounted.push(`${what}: ${credential}, as ${who}, ${power.exists ? 'which may not log in' : 'no role of this server'}`);
      continue;
    }
    if (power.superuserPaths.length > 0 && place.where === 'here') {
      paths.push(`may log in as ${who} through ${what}: ${credential}, to ${place.text}; and ${who} has superuser power: ${power.superuserPaths.join('; ')}`);
    } else if (power.superuserPaths.length > 0) {
      undecided.push(
        `${what}: ${credential}, as ${who}, which has superuser power here (${power.superuserPaths.join('; ')}), to ${place.text}: whether that is this server under another name or address cannot be told from the catalog (if it is another server, this is a superuser's login there, not here)`,
      );
    } else if (power.undecided.length > 0) {
      undecided.push(`${what}: ${credential}, as ${who}, to ${place.text}; whether ${who} has superuser power could not be decided: ${power.undecided.join('; ')}`);
    } else if (elsewhereHere.length > 0) {
      undecided.push(otherCluster('here it has no superuser power'));
    } else {
      notCounted.push(`${what}: ${credential}, as ${who}, to ${place.text}, a role without superuser power here`);
    }
  }
  const servers = new Set(read.logins.map((login) => login.server)).size;
  const others = read.otherServers.length ? `; servers of other wrappers not counted (neither postgres_fdw nor dblink connects through them): ${read.otherServers.join(', ')}` : '';
  return {
    paths,
    undecided,
    lookedFor: `user mappings with a stored password or password_required 'false' on the ${servers} foreign server${servers === 1 ? '' : 's'} of postgres_fdw, dblink_fdw or a wrapper without a validator that it, or a role it may SET ROLE to, may use (USAGE, or a foreign table of it that it owns) in database "${read.database}"${notCounted.length ? ` (not counted: ${notCounted.join('; ')})` : ''}${others}`,
  };
}
