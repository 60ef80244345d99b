/**
 * What the ARM stand-in serves: resources by id and collections by path, both case-insensitive as
 * ARM paths are. A collection is served as `{ value: [...] }` without nextLink (the official examples'
 * nextLinks point at management.azure.com, which the SDK would follow out of the lab), unless it is
 * declared paged: then it is served in pages whose nextLink points back at the stand-in, as Azure
 * pages long lists, and one page may be declared to fail, as a page of Azure's sometimes does.
 */
export class ArmStore {
  private readonly resources = new Map<string, unknown>();
  private readonly collections = new Map<string, unknown[]>();
  private readonly paging = new Map<string, CollectionPaging>();

  put(id: string, body: unknown): void {
    this.resources.set(normalise(id), body);
  }

  /** Adds items to a collection (creating it): listing a server's firewall rules, a subscription's vaults... */
  add(collectionPath: string, ...items: unknown[]): void {
    const key = normalise(collectionPath);
    this.collections.set(key, [...(this.collections.get(key) ?? []), ...items]);
  }

  /** Declares a collection that exists and is empty (no firewall rules), which is not the same as unknown. */
  declareEmpty(collectionPath: string): void {
    const key = normalise(collectionPath);
    if (!this.collections.has(key)) this.collections.set(key, []);
  }

  /** Puts a resource and lists it in its parent collection (the id up to its last segment). */
  putListed(id: string, body: unknown): void {
    this.put(id, body);
    this.add(id.slice(0, id.lastIndexOf('/')), body);
  }

  /** Serves the collection `pageSize` items a page; the page numbered `failingPage` (0 is the first) answers 500. */
  page(collectionPath: string, pageSize: number, failingPage?: number, nextLinkOrigin?: string): void {
    this.paging.set(normalise(collectionPath), { pageSize, failingPage, nextLinkOrigin });
  }

  pagingOf(collectionPath: string): CollectionPaging | undefined {
    return this.paging.get(normalise(collectionPath));
  }

  get(path: string): { kind: 'resource'; body: unknown } | { kind: 'collection'; items: unknown[] } | undefined {
    const key = normalise(path);
    if (this.resources.has(key)) return { kind: 'resource', body: this.resources.get(key) };
    if (this.collections.has(key)) return { kind: 'collection', items: this.collections.get(key)! };
    return undefined;
  }
}

function normalise(path: string): string {
  return path.toLowerCase().replace(/\/+$/, '');
}

export interface CollectionPaging {
  pageSize: number;
  failingPage?: number;
  /** Where nextLink points instead of the stand-in itself (a host the reader must not follow). */
  nextLinkOrigin?: string;
}
