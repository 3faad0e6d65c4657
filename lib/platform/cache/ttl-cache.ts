import { LRUCache } from "lru-cache";

// A small in-process cache with a time-to-live, for rows that are immutable or may be a few
// seconds stale (public keys, key rows). Never for policy (integrations) or API key status.
// When full it drops the least recently used entry; concurrent misses of a key share one load.
export class TtlCache<V> {
  // Boxed: lru-cache stores no `undefined`, and "no such row" is worth caching as well.
  private readonly entries: LRUCache<string, { value: V }>;
  // Loads in flight. Not lru-cache's fetch(): it aborts a pending load on delete or eviction and
  // fails everyone waiting on it; here they still get the value, it is just not cached.
  private readonly loading = new Map<string, Promise<V>>();

  constructor(ttlMs: number, max = 1000) {
    this.entries = new LRUCache({ max, ttl: ttlMs });
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) return Promise.resolve(hit.value);
    const pending = this.loading.get(key);
    if (pending) return pending;
    // A load that throws at once still rejects; the callbacks run after `loaded` is assigned.
    const loaded: Promise<V> = new Promise<V>((resolve) => resolve(load()))
      .then((value) => {
        // A delete() or clear() since the load began: the value may predate it, so do not keep
        // it. A failed load never gets here and is not cached either.
        if (this.loading.get(key) === loaded) this.entries.set(key, { value });
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
      });
    this.loading.set(key, loaded);
    return loaded;
  }

  /** The live cached value, without loading. */
  peek(key: string): V | undefined {
    return this.entries.peek(key)?.value;
  }

  delete(key: string) {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear() {
    this.entries.clear();
    this.loading.clear();
  }
}
