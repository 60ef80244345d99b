import type { PlaneSession } from './plane-session.js';

/**
 * The official SDK clients, built from one session so every one of them talks to the same cloud,
 * trusts the same CA and gets the same bounded retries. The SDKs are loaded on first use, not at
 * start-up: a run without plane targets never pays for them.
 *
 * The track-2 ARM clients (PostgreSQL, MySQL, Security, Monitor) build request URLs from `$host`
 * and the token scope from `endpoint`: both must name the cloud's ARM endpoint.
 */
export async function postgresClient(session: PlaneSession) {
  const { PostgreSQLManagementFlexibleServerClient } = await import('@azure/arm-postgresql-flexible');
  return new PostgreSQLManagementFlexibleServerClient(session.credential, session.server.subscriptionId, { ...session.clientOptions, $host: session.cloud.armEndpoint });
}

export async function mysqlClient(session: PlaneSession) {
  const { MySQLManagementFlexibleServerClient } = await import('@azure/arm-mysql-flexible');
  return new MySQLManagementFlexibleServerClient(session.credential, session.server.subscriptionId, { ...session.clientOptions, $host: session.cloud.armEndpoint });
}

export async function securityClient(session: PlaneSession) {
  const { SecurityCenter } = await import('@azure/arm-security');
  return new SecurityCenter(session.credential, session.server.subscriptionId, { ...session.clientOptions, $host: session.cloud.armEndpoint });
}

export async function monitorClient(session: PlaneSession) {
  const { MonitorClient } = await import('@azure/arm-monitor');
  return new MonitorClient(session.credential, session.server.subscriptionId, { ...session.clientOptions, $host: session.cloud.armEndpoint });
}

export async function keyVaultManagementClient(session: PlaneSession, subscriptionId: string) {
  const { KeyVaultManagementClient } = await import('@azure/arm-keyvault');
  return new KeyVaultManagementClient(session.credential, subscriptionId, {
    endpoint: session.cloud.armEndpoint,
    ...(session.clientOptions.tlsOptions ? { tlsOptions: session.clientOptions.tlsOptions } : {}),
    retryOptions: session.clientOptions.retryOptions,
    userAgentOptions: session.clientOptions.userAgentOptions,
  });
}

/** A Key Vault data-plane client; it learns the token's authority and resource from Key Vault's 401 challenge. */
export async function keyClient(session: PlaneSession, vaultUrl: string) {
  const { KeyClient } = await import('@azure/keyvault-keys');
  return new KeyClient(vaultUrl, session.credential, {
    ...(session.clientOptions.tlsOptions ? { tlsOptions: session.clientOptions.tlsOptions } : {}),
    retryOptions: session.clientOptions.retryOptions,
    userAgentOptions: session.clientOptions.userAgentOptions,
  });
}
