import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { AzureDeclaration, Target } from '../../targets/target.js';
import { azureClientSecretFor, rememberToken } from '../../targets/secret-store.js';
import { DeadlineExceeded, withDeadline } from '../../util/deadline.js';
import { CannotObserve, NothingToJudge } from '../check.js';
import type { TargetContext } from '../target-context.js';
import { cloudOf, type AzureCloud } from './azure-cloud.js';
import { parseServerResourceId, type ServerResource } from './resource-id.js';
import { shortReason } from './plane-errors.js';

/** Long enough for a CLI credential to start a process or IMDS to time out: a token request is not one network operation. */
const MIN_TOKEN_TIMEOUT_MS = 15_000;

/** What every plane read needs: where the server is, which cloud, a credential and SDK options. */
export interface PlaneSession {
  server: ServerResource;
  cloud: AzureCloud;
  credential: TokenCredential;
  /** Name of the credential in use, for evidence: "ClientSecretCredential" or "DefaultAzureCredential". */
  credentialName: string;
  /** Options every SDK client gets: the cloud's endpoint, its CA, bounded retries. */
  clientOptions: PlaneClientOptions;
  timeoutMs: number;
}

export interface PlaneClientOptions {
  endpoint: string;
  tlsOptions?: { ca: string[] };
  retryOptions: { maxRetries: number };
  userAgentOptions: { userAgentPrefix: string };
}

/**
 * The target's plane session, opened once per run: it acquires an ARM token first, so that a
 * missing credential skips every plane control with that reason, and a failing one leaves them
 * undecided, before any SDK call is made.
 */
export function planeSession(context: TargetContext): Promise<PlaneSession> {
  return context.once('plane:session', () => openPlaneSession(context.target));
}

export async function openPlaneSession(target: Target): Promise<PlaneSession> {
  const azure = target.azure;
  if (!azure) throw new NothingToJudge('the target declares no Azure resource (azure.resourceId)');
  const server = parseServerResourceId(azure.resourceId);
  if (!server) throw new CannotObserve(`"${azure.resourceId}" is not a flexible server resource id`);
  return { server, ...(await openAzureAccess(azure, azureClientSecretFor(target.name), target.timeoutMs)) };
}

/** A signed-in view of one Azure cloud, not yet tied to a server: what discovery needs too. */
export type AzureAccess = Omit<PlaneSession, 'server'>;

/**
 * Signs in to the declared cloud: an ARM token first, so that a missing credential is
 * NothingToJudge (skipped, with that reason) and a failing one CannotObserve (undecided).
 */
export async function openAzureAccess(azure: Omit<AzureDeclaration, 'resourceId'>, clientSecret: string | undefined, targetTimeoutMs: number): Promise<AzureAccess> {
  const cloud = cloudOf({ ...azure, resourceId: '' });
  const extraCa = cloud.caFile ? await readFile(cloud.caFile, 'utf8') : undefined;
  const credentialName = clientSecret === undefined ? 'DefaultAzureCredential' : 'ClientSecretCredential';
  const credential = new RememberingCredential(await credentialFor(azure, cloud, clientSecret, extraCa));
  const timeoutMs = Math.max(targetTimeoutMs, MIN_TOKEN_TIMEOUT_MS);
  try {
    await withDeadline(timeoutMs, `acquiring an ARM token (${credentialName})`, (abortSignal) => credential.getToken(`${cloud.armEndpoint}/.default`, { abortSignal }));
  } catch (error) {
    if (clientSecret === undefined && isUnavailable(error)) {
      throw new NothingToJudge(`no Azure credentials: DefaultAzureCredential found none in this environment (${shortReason(error)}); declare azure.clientId, tenantId and clientSecretEnv, or sign in (az login, managed identity, workload identity)`);
    }
    throw new CannotObserve(`${credentialName} could not get a token for ${cloud.label}: ${error instanceof DeadlineExceeded ? error.message : shortReason(error)}`);
  }
  return {
    cloud,
    credential,
    credentialName,
    clientOptions: {
      endpoint: cloud.armEndpoint,
      // Node's CAs plus the declared one, for this client only (NODE_EXTRA_CA_CERTS would be process-wide).
      ...(extraCa ? { tlsOptions: { ca: [...rootCertificates, extraCa] } } : {}),
      retryOptions: { maxRetries: 1 },
      userAgentOptions: { userAgentPrefix: 'dbcomply' },
    },
    timeoutMs: targetTimeoutMs,
  };
}

async function credentialFor(azure: Omit<AzureDeclaration, 'resourceId'>, cloud: AzureCloud, clientSecret: string | undefined, extraCa: string | undefined): Promise<TokenCredential> {
  const { AzureAuthorityHosts, ClientSecretCredential, DefaultAzureCredential } = await import('@azure/identity');
  const isEntraId = (Object.values(AzureAuthorityHosts) as string[]).includes(cloud.authorityHost);
  const options = {
    authorityHost: cloud.authorityHost,
    // Instance discovery asks login.microsoft.com about the authority, which knows nothing of one that is not Entra ID.
    disableInstanceDiscovery: !isEntraId,
    ...(extraCa ? { tlsOptions: { ca: [...rootCertificates, extraCa] } } : {}),
  };
  if (clientSecret !== undefined && azure.tenantId && azure.clientId) return new ClientSecretCredential(azure.tenantId, azure.clientId, clientSecret, options);
  return new DefaultAzureCredential({ ...options, tenantId: azure.tenantId, managedIdentityClientId: azure.clientId, workloadIdentityClientId: azure.clientId });
}

/** Registers every token it hands out for redaction before any SDK or error message could carry it. */
class RememberingCredential implements TokenCredential {
  constructor(private readonly inner: TokenCredential) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const token = await this.inner.getToken(scopes, options);
    if (token?.token) rememberToken(token.token);
    return token;
  }
}

function isUnavailable(error: unknown): boolean {
  const failure = error as { name?: string; errors?: Array<{ name?: string }> };
  if (failure.name === 'CredentialUnavailableError') return true;
  return failure.name === 'AggregateAuthenticationError' && (failure.errors ?? []).every((each) => each.name === 'CredentialUnavailableError');
}
