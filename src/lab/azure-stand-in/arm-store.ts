/**
 * What the ARM stand-in serves: resources by id and collections by path, both case-insensitive as
 * ARM paths are. A collection is served as `{ value: [...] }` without nextLink: the official examples'
 * nextLinks point at management.azure.com, which the SDK would follow out of the lab.
 */
export class ArmStore {
  private readonly resources = new Map<string, unknown>();
  private readonly collections = new Map<string, unknown[]>();

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
