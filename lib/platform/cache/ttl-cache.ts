import { LRUCache } from "lru-cache";
import { metrics } from "@/lib/platform/observability/metrics";

// A small in-process cache with a time-to-live, for rows that are immutable or may be a few
// seconds stale (public keys, key rows). Never for policy (integrations) or API key status on
// its own: those are cached only where the database confirms them (docs/decisions/0009).
// When full it drops the least recently used entry; concurrent misses of a key share one load.
export class TtlCache<V> {
  // Boxed: lru-cache stores no `undefined`, and "no such row" is worth caching as well.
  private readonly entries: LRUCache<string, { value: V }>;
  // Loads in flight. Not lru-cache's fetch(): it aborts a pending load on delete or eviction and
  // fails everyone waiting on it; here they still get the value, it is just not cached.
  private readonly loading = new Map<string, Promise<V>>();
  // pqseal_cache_lookups_total{cache=name}: a lookup that joins a load in flight is a hit.
  private readonly hits;
  private readonly misses;

  /** `name` labels the cache's hits and misses (a fixed word, never a key). */
  constructor(ttlMs: number, name = "unnamed", max = 1000) {
    this.entries = new LRUCache({ max, ttl: ttlMs });
    this.hits = metrics().cacheLookups.labels({ cache: name, result: "hit" });
    this.misses = metrics().cacheLookups.labels({ cache: name, result: "miss" });
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      this.hits.inc();
      return Promise.resolve(hit.value);
    }
    const pending = this.loading.get(key);
    if (pending) {
      this.hits.inc();
      return pending;
    }
    this.misses.inc();
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
    const hit = this.entries.peek(key);
    (hit ? this.hits : this.misses).inc();
    return hit?.value;
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
