import type { AzureAccess } from './plane-session.js';
import { planeRead } from './plane-errors.js';

/**
 * A plain ARM GET through @azure/core-client's pipeline (the same credential, scope, CA and
 * retries as the SDK clients), for the few reads no pinned SDK offers on Node 20: role
 * assignments, and diagnostic settings in an API version that knows category groups.
 * Returns undefined on 404 when `absentOn404`.
 */
export async function armGet<T>(access: AzureAccess, path: string, apiVersion: string, what: string, role: string, absentOn404 = false): Promise<T | undefined> {
  const [{ ServiceClient }, { createPipelineRequest }] = await Promise.all([import('@azure/core-client'), import('@azure/core-rest-pipeline')]);
  const client = new ServiceClient({
    credential: access.credential,
    credentialScopes: [`${access.cloud.armEndpoint}/.default`],
    endpoint: access.cloud.armEndpoint,
    ...(access.clientOptions.tlsOptions ? { tlsOptions: access.clientOptions.tlsOptions } : {}),
    retryOptions: access.clientOptions.retryOptions,
    userAgentOptions: access.clientOptions.userAgentOptions,
  });
  const separator = path.includes('?') ? '&' : '?';
  const url = `${access.cloud.armEndpoint}${path}${separator}api-version=${apiVersion}`;
  return planeRead(
    access,
    what,
    role,
    async (abortSignal) => {
      const response = await client.sendRequest(createPipelineRequest({ url, method: 'GET', abortSignal }));
      const body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined;
      if (response.status !== 200) {
        const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw Object.assign(new Error(error?.message ?? `HTTP ${response.status}`), { name: 'RestError', statusCode: response.status, code: error?.code });
      }
      return body as T;
    },
    absentOn404,
  );
}
