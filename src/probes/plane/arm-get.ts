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
  const first = await armGet<ArmPage<T>>(access, path, apiVersion, what, role);
  return [...(first?.value ?? []), ...(first?.nextLink ? await armListFrom<T>(access, first.nextLink, what, role, 2) : [])];
}

/**
 * The rest of a list from a nextLink on: what armList follows, and what a caller follows when an SDK
 * operation reads the first page only (Replicas_ListByServer in arm-postgresql-flexible 9 is not
 * declared pageable, so the SDK drops any nextLink). `page` is the number of the nextLink's page.
 */
export async function armListFrom<T>(access: AzureAccess, nextLink: string, what: string, role: string, page: number): Promise<T[]> {
  const items: T[] = [];
  let next: string | null | undefined = nextLink;
  for (let number = page; next; number++) {
    const link: string = next;
    if (number > MAX_LIST_PAGES) throw new CannotObserve(`${what} run past ${MAX_LIST_PAGES} pages on ${access.cloud.label}: the list was not read to its end`);
    const url = URL.canParse(link, access.cloud.armEndpoint) ? new URL(link, access.cloud.armEndpoint) : undefined;
    if (!url) throw new CannotObserve(`${what}: page ${number}'s nextLink is not a URL, so the list was not read to its end`);
    if (url.origin !== new URL(access.cloud.armEndpoint).origin) throw new CannotObserve(`${what}: page ${number} is at ${url.origin}, not ${access.cloud.label}; it was not followed, so the list was not read to its end`);
    // nextLink carries its own api-version (and skip token); armGet must not add a second one.
    const body: ArmPage<T> | undefined = await armGet<ArmPage<T>>(access, `${url.pathname}${url.search}`, '', `${what} (page ${number})`, role);
    items.push(...(body?.value ?? []));
    next = body?.nextLink;
  }
  return items;
}

interface ArmPage<T> {
  value?: T[];
  nextLink?: string | null;
}
