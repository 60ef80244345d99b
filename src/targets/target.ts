import type { NetworkDeclaration } from './network-declaration.js';

/** The server under test, as the harness dials it. Secrets are never part of a Target: see secret-store.ts. */
export type Engine = 'postgres' | 'mysql';

export type ProfileName = 'baseline' | 'strict';

export interface Target {
  /** Unique within a run; names the report folder and every result row. */
  name: string;
  engine: Engine;
  /** Host name or address exactly as dialled; the certificate must name it. */
  host: string;
  port: number;
  /** Account used for login-based checks; its password lives in the secret store under the target name. */
  user?: string;
  database?: string;
  /** PEM bundle of CAs the server certificate must chain to. Absent: Node's default trust store. */
  caFile?: string;
  profile: ProfileName;
  /** Upper bound for any single network operation against this target. */
  timeoutMs: number;
  /** transport.cert-validity fails when fewer days than this remain. */
  minCertDaysLeft: number;
  /** Free text shown in reports, e.g. "local fixture postgres/hardened". */
  origin?: string;
  /** Vantage points, access model and resolver for the network controls (config file only). */
  network?: NetworkDeclaration;
}

export interface Endpoint {
  engine: Engine;
  host: string;
  port: number;
  timeoutMs: number;
  /** Local address to bind the client socket to (a vantage point); absent: the route's default. */
  localAddress?: string;
}

export function endpointOf(target: Target): Endpoint {
  return { engine: target.engine, host: target.host, port: target.port, timeoutMs: target.timeoutMs };
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MIN_CERT_DAYS_LEFT = 30;
