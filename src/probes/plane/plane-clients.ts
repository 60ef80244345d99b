import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { AzureAccess, PlaneSession } from './plane-session.js';

/**
 * The official SDK clients, built from one session so every one of them talks to the same cloud,
 * trusts the same CA and gets the same bounded retries. The SDKs are loaded on first use, not at
 * start-up: a run without plane targets never pays for them.
 *
 * The track-2 ARM clients (PostgreSQL, MySQL, Security, Monitor) build request URLs from `$host`;
 * the older ones (Security 5, Monitor 7) also hard-code the public cloud's token scope unless
 * `credentialScopes` is given: a sovereign cloud (and the stand-in) needs all three set.
 */
export function armOptions(session: AzureAccess) {
  return {
    ...session.clientOptions,
    $host: session.cloud.armEndpoint,
    credentialScopes: [`${session.cloud.armEndpoint}/.default`],
    additionalPolicies: [{ policy: armHostOnly(session.cloud.armEndpoint), position: 'perCall' as const }],
  };
}

/**
 * The SDKs' pagers follow whatever nextLink a page names, bearer token included: a request to any
 * origin but the cloud's ARM endpoint is refused before it leaves (the list is then undecided), as
 * armList refuses such a link.
 */
export function armHostOnly(armEndpoint: string): PipelinePolicy {
  const allowed = new URL(armEndpoint).origin;
  return {
    name: 'dbcomplyArmHostOnly',
    sendRequest(request, next) {
      const origin = URL.canParse(request.url) ? new URL(request.url).origin : request.url;
      if (origin !== allowed) return Promise.reject(new Error(`refused to send the ARM token to ${origin}: only ${allowed} is asked (a nextLink pointing elsewhere)`));
      return next(request);
    },
  };
}

export async function postgresClient(session: PlaneSession | AzureAccess, subscriptionId = (session as PlaneSession).server.subscriptionId) {
  const { PostgreSQLManagementFlexibleServerClient } = await import('@azure/arm-postgresql-flexible');
  return new PostgreSQLManagementFlexibleServerClient(session.credential, subscriptionId, armOptions(session));
}

export async function mysqlClient(session: PlaneSession | AzureAccess, subscriptionId = (session as PlaneSession).server.subscriptionId) {
  const { MySQLManagementFlexibleServerClient } = await import('@azure/arm-mysql-flexible');
  return new MySQLManagementFlexibleServerClient(session.credential, subscriptionId, armOptions(session));
}

export async function securityClient(session: PlaneSession) {
  const { SecurityCenter } = await import('@azure/arm-security');
  return new SecurityCenter(session.credential, session.server.subscriptionId, armOptions(session));
}

export async function keyVaultManagementClient(session: PlaneSession, subscriptionId: string) {
  const { KeyVaultManagementClient } = await import('@azure/arm-keyvault');
  return new KeyVaultManagementClient(session.credential, subscriptionId, {
    endpoint: session.cloud.armEndpoint,
    ...(session.clientOptions.tlsOptions ? { tlsOptions: session.clientOptions.tlsOptions } : {}),
    retryOptions: session.clientOptions.retryOptions,
    userAgentOptions: session.clientOptions.userAgentOptions,
    additionalPolicies: [{ policy: armHostOnly(session.cloud.armEndpoint), position: 'perCall' }],
  });
}

/**
 * A Key Vault data-plane client; it learns the token's authority and resource from Key Vault's 401
 * challenge. The SDK then checks that the vault's host lies under the challenge's resource
 * (x.vault.azure.net under vault.azure.net); a stand-in vault on 127.0.0.1 cannot, so that check is
 * relaxed for endpoints that are not a known Azure cloud only, never for Azure itself.
 */
export async function keyClient(session: PlaneSession, vaultUrl: string) {
  const { KeyClient } = await import('@azure/keyvault-keys');
  return new KeyClient(vaultUrl, session.credential, {
    disableChallengeResourceVerification: !session.cloud.isAzure,
    ...(session.clientOptions.tlsOptions ? { tlsOptions: session.clientOptions.tlsOptions } : {}),
    retryOptions: session.clientOptions.retryOptions,
    userAgentOptions: session.clientOptions.userAgentOptions,
  });
}
