import { CannotObserve } from '../check.js';
import type { AzureAccess } from './plane-session.js';
import { planeRead } from './plane-errors.js';

/**
 * A plain ARM GET through @azure/core-client's pipeline (the same credential, scope, CA and
 * retries as the SDK clients), for the few reads no pinned SDK offers on Node 20: role
 * assignments, and diagnostic settings in an API version that knows category groups.
 * Returns undefined on 404 when `absentOn404`. An empty `apiVersion` sends the path as it is (a nextLink carries its own).
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
  const url = apiVersion ? `${access.cloud.armEndpoint}${path}${separator}api-version=${apiVersion}` : `${access.cloud.armEndpoint}${path}`;
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

/** More pages than any real list of role assignments or diagnostic settings has: past it the list is refused as truncated. */
export const MAX_LIST_PAGES = 50;

/**
 * Every item of an ARM list read with armGet, following each page's nextLink (each page a bounded
 * read of its own). A page that fails fails the list (CannotObserve, via armGet); a nextLink to
 * another host than the cloud's ARM endpoint is not followed (the token would go with it), and a
 * list longer than MAX_LIST_PAGES is refused: either way the list is undecided, never cut short.
 */
export async function armList<T>(access: AzureAccess, path: string, apiVersion: string, what: string, role: string): Promise<T[]> {
  const items: T[] = [];
  let page = await armGet<{ value?: T[]; nextLink?: string | null }>(access, path, apiVersion, what, role);
  for (let pages = 1; ; pages++) {
    items.push(...(page?.value ?? []));
    const next = page?.nextLink;
    if (!next) return items;
    if (pages >= MAX_LIST_PAGES) throw new CannotObserve(`${what} run past ${MAX_LIST_PAGES} pages on ${access.cloud.label}: the list was not read to its end`);
    const url = new URL(next);
    if (url.origin !== new URL(access.cloud.armEndpoint).origin) throw new CannotObserve(`${what}: page ${pages + 1} is at ${url.origin}, not ${access.cloud.label}; it was not followed, so the list was not read to its end`);
    // nextLink carries its own api-version (and skip token); armGet must not add a second one.
    page = await armGet<{ value?: T[]; nextLink?: string | null }>(access, `${url.pathname}${url.search}`, '', `${what} (page ${pages + 1})`, role);
  }
}
