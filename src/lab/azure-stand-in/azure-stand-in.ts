import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { certificateFiles } from '../certificates.js';
import { TokenEndpoint, type ClientRegistration } from '../identity-stand-in/token-endpoint.js';
import { TokenSigner } from '../identity-stand-in/token-signer.js';
import type { CollectionPaging } from './arm-store.js';
import { buildFleet, VAULT_NAMES, type FleetVault, type StandInFleet, type VaultName } from './stand-in-fleet.js';

/** Stand-in tenants are names, not GUIDs: plainly not a real tenant. */
const TENANT_ID = 'dbcomply-azure-stand-in';
const TOKEN_LIFETIME_SECONDS = 600;

export interface StandInRequest {
  /** 'arm' or the vault's name. */
  service: string;
  method: string;
  path: string;
  apiVersion?: string;
  status: number;
}

export interface StandInRoles {
  /** Reader on the subscription: ARM GETs and lists succeed; without it ARM answers 403 AuthorizationFailed. */
  armReader: boolean;
  /** Key Vault Crypto User on every vault: key reads succeed; without it Key Vault answers 403 Forbidden. */
  vaultReader: boolean;
}

/**
 * A local stand-in for Azure Resource Manager and Key Vault, since Azure cannot be reached from here:
 * HTTPS listeners (certificate from the lab CA) that answer the GETs and lists the official SDKs make,
 * with bodies derived from the official example payloads (stand-in-fleet.ts), and a token endpoint
 * (the identity stand-in's) issuing tokens for the ARM and Key Vault scopes. Key Vault answers an
 * unauthenticated first request with a 401 challenge, as Key Vault does. Every report on it must say
 * "Azure stand-in", never Azure.
 */
export class AzureStandIn {
  readonly requests: StandInRequest[] = [];

  private constructor(
    private readonly tokens: TokenEndpoint,
    private readonly registrations: Map<string, ClientRegistration>,
    private readonly listeners: Server[],
    private readonly roles: Map<string, StandInRoles>,
    readonly fleet: StandInFleet,
    readonly armEndpoint: string,
    readonly caFile: string,
    readonly tenantId: string,
  ) {}

  get authorityHost(): string {
    return this.tokens.authorityHost;
  }

  static async start(): Promise<AzureStandIn> {
    const certificates = await certificateFiles('good');
    const tls = { cert: await readFile(certificates.certFile, 'utf8'), key: await readFile(certificates.keyFile, 'utf8') };
    const signer = new TokenSigner();
    const registrations = new Map<string, ClientRegistration>();
    const scopes = new Set<string>();
    const tokens = await TokenEndpoint.start({ tenantId: TENANT_ID, tls, signer, lifetimeSeconds: TOKEN_LIFETIME_SECONDS, registrations, extraScopes: scopes });
    const roles = new Map<string, StandInRoles>();
    const listeners: Server[] = [];
    // eslint-disable-next-line prefer-const
    let standIn: AzureStandIn | undefined;
    const record = (entry: StandInRequest) => standIn?.requests.push(entry);
    const verifier = new TokenCheck(signer.publicKeyPem, tokens.issuer);
    try {
      const vaultUrls = new Map<VaultName, string>();
      const vaultListeners = new Map<VaultName, Server>();
      for (const name of VAULT_NAMES) {
        const server = createServer(tls);
        vaultUrls.set(name, await listen(server));
        vaultListeners.set(name, server);
        listeners.push(server);
      }
      const fleet = buildFleet(vaultUrls);
      const armServer = createServer(tls);
      const armEndpoint = await listen(armServer);
      listeners.push(armServer);
      scopes.add(`${armEndpoint}/.default`);
      armServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
        const status = serveArm(request, response, fleet, armEndpoint, verifier, roles);
        record({ service: 'arm', method: request.method ?? '', path: pathOf(request), apiVersion: apiVersionOf(request), status });
      });
      for (const [name, server] of vaultListeners) {
        const vault = fleet.vaults.get(name)!;
        scopes.add(`${vault.url}/.default`);
        server.on('request', (request: IncomingMessage, response: ServerResponse) => {
          const status = serveVault(request, response, vault, tokens.authorityHost, verifier, roles);
          record({ service: name, method: request.method ?? '', path: pathOf(request), apiVersion: apiVersionOf(request), status });
        });
      }
      standIn = new AzureStandIn(tokens, registrations, listeners, roles, fleet, armEndpoint, certificates.caFile, TENANT_ID);
      return standIn;
    } catch (error) {
      await Promise.all([tokens.stop(), ...listeners.map(close)]);
      throw error;
    }
  }

  /** A new service principal with the given roles; its secret is for the client only. */
  register(roles: StandInRoles = { armReader: true, vaultReader: true }): ClientRegistration {
    const registration = { clientId: randomBytes(8).toString('hex'), clientSecret: randomBytes(18).toString('base64url'), principal: `sp-${randomBytes(4).toString('hex')}` };
    this.registrations.set(registration.clientId, registration);
    this.roles.set(registration.principal, roles);
    return registration;
  }

  async stop(): Promise<void> {
    await Promise.all([this.tokens.stop(), ...this.listeners.map(close)]);
  }
}

class TokenCheck {
  private readonly key;
  constructor(publicKeyPem: string, private readonly issuer: string) {
    this.key = createPublicKey(publicKeyPem);
  }

  /** The token's principal when it is ours, in force and for `audience`; undefined otherwise. */
  principalOf(request: IncomingMessage, audience: string): string | undefined {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const parts = token?.split('.') ?? [];
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts;
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), { key: this.key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (claims.aud !== audience || claims.iss !== this.issuer || typeof claims.exp !== 'number' || claims.exp < Date.now() / 1000) return undefined;
    return typeof claims.upn === 'string' ? claims.upn : undefined;
  }
}

function serveArm(request: IncomingMessage, response: ServerResponse, fleet: StandInFleet, armEndpoint: string, tokens: TokenCheck, roles: Map<string, StandInRoles>): number {
  const path = pathOf(request);
  const principal = tokens.principalOf(request, armEndpoint);
  if (!principal) return reply(response, 401, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
  if (request.method !== 'GET') return reply(response, 405, { error: { code: 'MethodNotAllowed', message: 'the Azure stand-in is read-only' } });
  if (!roles.get(principal)?.armReader) {
    return reply(response, 403, {
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${principal}' with object id '${principal}' does not have authorization to perform action 'read' over scope '${path}' or the scope is invalid.`,
      },
    });
  }
  const found = fleet.arm.get(path);
  if (!found) return reply(response, 404, { error: { code: 'ResourceNotFound', message: `The resource '${path}' was not found (Azure stand-in).` } });
  if (found.kind === 'resource') return reply(response, 200, found.body);
  const paging = fleet.arm.pagingOf(path);
  if (!paging) return reply(response, 200, { value: found.items });
  return servePage(request, response, found.items, paging, `${paging.nextLinkOrigin ?? armEndpoint}${path}`);
}

/** One page of a paged collection; its nextLink repeats the request's query with the next page's $skiptoken. */
function servePage(request: IncomingMessage, response: ServerResponse, items: unknown[], paging: CollectionPaging, collectionUrl: string): number {
  const query = new URL(request.url ?? '/', 'https://stand-in').searchParams;
  const page = Number(query.get('$skiptoken') ?? '0');
  if (!Number.isInteger(page) || page < 0) return reply(response, 400, { error: { code: 'InvalidSkipToken', message: 'the $skiptoken is not one the Azure stand-in issued' } });
  if (page === paging.failingPage) return reply(response, 500, { error: { code: 'InternalServerError', message: `page ${page} of this list failed (Azure stand-in, on purpose)` } });
  const value = items.slice(page * paging.pageSize, (page + 1) * paging.pageSize);
  if ((page + 1) * paging.pageSize >= items.length) return reply(response, 200, { value });
  query.set('$skiptoken', String(page + 1));
  return reply(response, 200, { value, nextLink: `${collectionUrl}?${query.toString()}` });
}

function serveVault(request: IncomingMessage, response: ServerResponse, vault: FleetVault, authorityHost: string, tokens: TokenCheck, roles: Map<string, StandInRoles>): number {
  if (!request.headers.authorization) {
    // Key Vault's challenge: the client learns the authority and resource from it, then retries with a token.
    response.setHeader('www-authenticate', `Bearer authorization="${authorityHost}/${TENANT_ID}", resource="${vault.url}"`);
    return reply(response, 401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } });
  }
  const principal = tokens.principalOf(request, vault.url);
  if (!principal) return reply(response, 401, { error: { code: 'Unauthorized', message: 'AKV10022: Invalid audience or token.' } });
  if (!roles.get(principal)?.vaultReader) {
    return reply(response, 403, { error: { code: 'Forbidden', message: `The user, group or application '${principal}' does not have keys get permission on key vault (Azure stand-in).`, innererror: { code: 'ForbiddenByPolicy' } } });
  }
  const segments = pathOf(request).split('/').filter(Boolean);
  if (request.method !== 'GET' || segments[0] !== 'keys' || segments.length < 2) return reply(response, 404, { error: { code: 'NotFound', message: 'not served by the Azure stand-in' } });
  const key = vault.keys.get(segments[1]);
  if (!key) return reply(response, 404, { error: { code: 'KeyNotFound', message: `A key with (name/id) ${segments[1]} was not found in this key vault.` } });
  const latest = key.versions[key.versions.length - 1];
  if (segments.length === 2) return reply(response, 200, latest);
  if (segments[2] === 'rotationpolicy') {
    // A key without a policy still answers, with an empty one, as Key Vault does.
    return reply(response, 200, key.rotationPolicy ?? { id: `${vault.url}/keys/${segments[1]}/rotationpolicy`, lifetimeActions: [], attributes: {} });
  }
  if (segments[2] === 'versions') return reply(response, 200, { value: key.versions.map((bundle) => ({ kid: bundle.key.kid, attributes: bundle.attributes })) });
  const version = key.versions.find((bundle) => bundle.key.kid.endsWith(`/${segments[2]}`));
  return version ? reply(response, 200, version) : reply(response, 404, { error: { code: 'KeyNotFound', message: 'no such key version' } });
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'https://stand-in').pathname;
}

function apiVersionOf(request: IncomingMessage): string | undefined {
  return new URL(request.url ?? '/', 'https://stand-in').searchParams.get('api-version') ?? undefined;
}

function reply(response: ServerResponse, status: number, body: unknown): number {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-ms-request-id': randomBytes(8).toString('hex') });
  response.end(JSON.stringify(body));
  return status;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A forgotten stand-in must not keep the process alive.
  server.unref();
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
