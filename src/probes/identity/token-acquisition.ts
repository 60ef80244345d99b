import { readFile } from 'node:fs/promises';
import type { TokenCredential } from '@azure/identity';
import type { Target, EntraLogin } from '../../targets/target.js';
import { entraClientSecretFor, rememberToken } from '../../targets/secret-store.js';
import { DeadlineExceeded, withDeadline } from '../../util/deadline.js';
import { describeAuthority } from './entra-authority.js';
import { OSS_RDBMS_SCOPE } from './oss-rdbms-scope.js';

export type AcquisitionEvidence =
  | { outcome: 'acquired'; expiresOnTimestamp: number; credential: string; elapsedMs: number }
  /** No credential in this environment could even try (the whole chain said unavailable). */
  | { outcome: 'unavailable'; credential: string; reason: string; elapsedMs: number }
  /** A credential tried and failed, or did not finish in time. */
  | { outcome: 'failed'; credential: string; reason: string; elapsedMs: number };

/** The token is held apart from the evidence, in memory only, by the probe that logs in with it. */
export interface TokenAcquisition {
  evidence: AcquisitionEvidence;
  token?: string;
}

/** Long enough for a CLI credential to start a process; a token request is more than one network operation. */
const MIN_ACQUISITION_TIMEOUT_MS = 15_000;
const MAX_REASON_LENGTH = 400;

/**
 * A token for the OSS RDBMS scope from whatever the environment provides: the client secret named
 * in the config, else DefaultAzureCredential's chain (environment, workload identity, managed
 * identity, Azure CLI, ...). The token is registered for redaction before anything else sees it.
 */
export async function acquireEntraToken(target: Target, entra: EntraLogin): Promise<TokenAcquisition> {
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  const timeoutMs = Math.max(target.timeoutMs, MIN_ACQUISITION_TIMEOUT_MS);
  const clientSecret = entraClientSecretFor(target.name);
  const credentialName = clientSecret === undefined ? 'DefaultAzureCredential' : 'ClientSecretCredential';
  try {
    const credential = await credentialFor(entra, clientSecret);
    const token = await withDeadline(timeoutMs, `acquiring an Entra token (${credentialName})`, (abortSignal) =>
      credential.getToken(OSS_RDBMS_SCOPE, { abortSignal }),
    );
    if (!token?.token) return { evidence: { outcome: 'failed', credential: credentialName, reason: 'the credential returned no token', elapsedMs: elapsedMs() } };
    rememberToken(token.token);
    return { evidence: { outcome: 'acquired', expiresOnTimestamp: token.expiresOnTimestamp, credential: credentialName, elapsedMs: elapsedMs() }, token: token.token };
  } catch (error) {
    const reason = shortReason(error);
    // Only the chain's own verdict means "no credentials here"; an explicitly configured secret that fails is a failure.
    const outcome = clientSecret === undefined && isUnavailable(error) ? 'unavailable' : 'failed';
    return { evidence: { outcome, credential: credentialName, reason, elapsedMs: elapsedMs() } };
  }
}

async function credentialFor(entra: EntraLogin, clientSecret: string | undefined): Promise<TokenCredential> {
  const authority = await describeAuthority(entra);
  const { ClientSecretCredential, DefaultAzureCredential } = await import('@azure/identity');
  const options = {
    authorityHost: authority.host,
    // Instance discovery asks login.microsoft.com about the authority, which knows nothing of one that is not Entra ID.
    disableInstanceDiscovery: !authority.isEntraId,
    // Trust for the authority host only, not process-wide as NODE_EXTRA_CA_CERTS would be.
    ...(entra.caFile ? { tlsOptions: { ca: await readFile(entra.caFile, 'utf8') } } : {}),
  };
  if (clientSecret !== undefined && entra.tenantId && entra.clientId) {
    return new ClientSecretCredential(entra.tenantId, entra.clientId, clientSecret, options);
  }
  return new DefaultAzureCredential({ ...options, tenantId: entra.tenantId, managedIdentityClientId: entra.clientId, workloadIdentityClientId: entra.clientId });
}

function isUnavailable(error: unknown): boolean {
  const failure = error as { name?: string; errors?: Array<{ name?: string }> };
  if (failure.name === 'CredentialUnavailableError') return true;
  return failure.name === 'AggregateAuthenticationError' && (failure.errors ?? []).every((each) => each.name === 'CredentialUnavailableError');
}

function shortReason(error: unknown): string {
  if (error instanceof DeadlineExceeded) return error.message;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH)}…` : oneLine;
}
