import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { tenantSigningKeys, tenantVaultKeys, type TenantSigningKey } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { systemActing, type Acting } from "@/lib/platform/request-context/acting";
import { env } from "@/lib/platform/config/env";
import { TtlCache } from "@/lib/platform/cache/ttl-cache";
import { metrics } from "@/lib/platform/observability/metrics";
import { newId } from "@/lib/shared/ids";
import { unwrapForTenant, wrapForTenant, wrapWith, type KmsSettings } from "@/lib/platform/kms/kms";
import { KMS_PURPOSES } from "@/lib/platform/kms/purposes";
import type { CryptoBackend } from "@/lib/shared/crypto/backend";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { toB64, wipe } from "@/lib/shared/crypto/bytes";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { endorsementMessage } from "@/lib/shared/sdk/key-chain";

// Per-tenant key pairs: ML-DSA-65 for signing (envelopes, audit checkpoints) and ML-KEM-768 for
// the vault. Only the FIPS seed is stored, KMS-wrapped; the key pair is re-derived from it.
// Rotation inserts version n+1 and marks version n retired: retired keys still verify and
// decrypt, they only stop being chosen for new work. A signing key is published before it
// signs (ENVELOPE.md §9.1): version n+1 is endorsed by version n and activates after the
// switch-over delay; version n keeps signing until then (its `retired_at` is that moment).
export type TenantKeyKind = "signing" | "vault";
export type TenantKey = TenantSigningKey;

const SPEC = {
  signing: {
    // Both tables are built from tenantKeyColumns() (db/schema/columns.ts): one type serves both.
    table: tenantSigningKeys,
    idKind: "signingKey",
    algorithm: "ML-DSA-65",
    purpose: KMS_PURPOSES.signingKeySeed,
    seedLength: 32,
    keygen: (b: CryptoBackend, seed: Uint8Array) => b.dsaKeygen(seed),
  },
  vault: {
    table: tenantVaultKeys as unknown as typeof tenantSigningKeys,
    idKind: "vaultKey",
    algorithm: "ML-KEM-768",
    purpose: KMS_PURPOSES.vaultKeySeed,
    seedLength: 64,
    keygen: (b: CryptoBackend, seed: Uint8Array) => b.kemKeygen(seed),
  },
} as const;

export const fingerprintOf = (publicKey: Uint8Array) =>
  createHash("sha256").update(publicKey).digest("hex");

/** The tenant's current key of this kind, generated on first use. */
/** `db`: the open transaction when there is one (PGlite has a single connection). */
export async function currentTenantKey(
  tenantId: string,
  kind: TenantKeyKind,
  db: Pick<Tx, "select" | "transaction"> = getDb(),
): Promise<TenantKey> {
  const existing = await findCurrent(db, tenantId, kind);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    await lockKeys(tx, tenantId, kind);
    return (
      (await findCurrent(tx, tenantId, kind)) ?? insertVersion(tx, systemActing(tenantId), kind, 1)
    );
  });
}

// The current key row per tenant for the hot path; this process forgets it on rotation, other
// instances within 10 s (the previous key stays valid meanwhile).
const currentKeys = new TtlCache<TenantKey>(10_000, "current_tenant_keys");
// Inside a transaction (`db` given) a miss reads through it and is not cached: a key created
// there may still roll back.
export const currentTenantKeyCached = async (
  tenantId: string,
  kind: TenantKeyKind,
  db?: Pick<Tx, "select" | "transaction">,
): Promise<TenantKey> =>
  db
    ? (currentKeys.peek(`${kind}:${tenantId}`) ?? currentTenantKey(tenantId, kind, db))
    : currentKeys.get(`${kind}:${tenantId}`, () => currentTenantKey(tenantId, kind));

/**
 * Adds version n+1 and retires version n (which keeps verifying and decrypting). A vault key
 * takes over at once. A signing key is endorsed by version n and takes over after
 * `switchoverHours` (default SIGNING_KEY_SWITCHOVER_HOURS); until then the keys signing now
 * keep signing, and from then on they are retired.
 */
export async function rotateTenantKey(
  by: Acting,
  kind: TenantKeyKind,
  options: { switchoverHours?: number | undefined } = {},
) {
  const { tenantId } = by;
  const { table } = SPEC[kind];
  const now = new Date();
  const activatesAt =
    kind === "signing"
      ? new Date(
          now.getTime() +
            (options.switchoverHours ?? env().SIGNING_KEY_SWITCHOVER_HOURS) * 3_600_000,
        )
      : null;
  currentKeys.delete(`${kind}:${tenantId}`);
  const row = await getDb().transaction(async (tx) => {
    await lockKeys(tx, tenantId, kind);
    if (activatesAt) {
      // The newest version endorses the next (even one not signing yet), so the chain stays a
      // line; every key that would sign past the switch-over stops at it.
      const latest = await findLatest(tx, tenantId);
      // Nothing to endorse it or to sign meanwhile: the first key signs at once.
      if (!latest) return insertVersion(tx, by, kind, 1);
      await tx
        .update(tenantSigningKeys)
        .set({ retiredAt: activatesAt })
        .where(
          and(
            eq(tenantSigningKeys.tenantId, tenantId),
            or(isNull(tenantSigningKeys.retiredAt), gt(tenantSigningKeys.retiredAt, activatesAt)),
          ),
        );
      return insertVersion(tx, by, kind, latest.version + 1, latest, activatesAt);
    }
    const current = await findCurrent(tx, tenantId, kind);
    if (current) {
      await tx
        .update(table)
        .set({ retiredAt: now })
        .where(and(eq(table.tenantId, tenantId), eq(table.id, current.id)));
    }
    return insertVersion(tx, by, kind, (current?.version ?? 0) + 1, current);
  });
  currentKeys.delete(`${kind}:${tenantId}`);
  return row;
}

export async function listTenantKeys(tenantId: string, kind: TenantKeyKind) {
  const { table } = SPEC[kind];
  return getDb()
    .select()
    .from(table)
    .where(eq(table.tenantId, tenantId))
    .orderBy(desc(table.version));
}

export async function tenantKeyById(
  tenantId: string,
  kind: TenantKeyKind,
  id: string,
  db: Pick<Tx, "select"> = getDb(),
) {
  const { table } = SPEC[kind];
  const [row] = await db
    .select()
    .from(table)
    .where(and(eq(table.tenantId, tenantId), eq(table.id, id)));
  return row;
}

async function lockKeys(tx: Tx, tenantId: string, kind: TenantKeyKind) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${kind}-key:${tenantId}`}))`);
}

async function findCurrent(db: Pick<Tx, "select">, tenantId: string, kind: TenantKeyKind) {
  if (kind === "signing") return findSigner(db, tenantId, new Date());
  const { table } = SPEC[kind];
  const [row] = await db
    .select()
    .from(table)
    .where(and(eq(table.tenantId, tenantId), isNull(table.retiredAt)))
    .orderBy(desc(table.version))
    .limit(1);
  return row;
}

/** The signing key that signs at `now`: activated (or never delayed) and not yet retired. */
async function findSigner(db: Pick<Tx, "select">, tenantId: string, now: Date) {
  const t = tenantSigningKeys;
  const [row] = await db
    .select()
    .from(t)
    .where(
      and(
        eq(t.tenantId, tenantId),
        or(isNull(t.activatesAt), lte(t.activatesAt, now)),
        or(isNull(t.retiredAt), gt(t.retiredAt, now)),
      ),
    )
    .orderBy(desc(t.version))
    .limit(1);
  return row;
}

async function findLatest(db: Pick<Tx, "select">, tenantId: string) {
  const t = tenantSigningKeys;
  const [row] = await db
    .select()
    .from(t)
    .where(eq(t.tenantId, tenantId))
    .orderBy(desc(t.version))
    .limit(1);
  return row;
}

async function insertVersion(
  tx: Tx,
  by: Acting,
  kind: TenantKeyKind,
  version: number,
  previous?: TenantKey,
  /** Signing keys only: when it starts signing; `previous` endorses it. */
  activatesAt?: Date | null,
): Promise<TenantKey> {
  const { tenantId } = by;
  const spec = SPEC[kind];
  const id = newId(spec.idKind);
  const seed = new Uint8Array(randomBytes(spec.seedLength));
  const { publicKey, secretKey } = spec.keygen(nobleBackend, seed);
  wipe(secretKey);
  const wrappedSecret = await wrapForTenant(tx, tenantId, spec.purpose, seed);
  wipe(seed);
  const endorsement =
    activatesAt && previous
      ? await endorse(previous, { tenantId, keyId: id, version, publicKey, activatesAt })
      : null;
  const [row] = await tx
    .insert(spec.table)
    .values({
      id,
      tenantId,
      version,
      algorithm: spec.algorithm,
      publicKey: Buffer.from(publicKey).toString("base64"),
      fingerprint: fingerprintOf(publicKey),
      wrappedSecret,
      ...(activatesAt
        ? { activatesAt, endorsedBy: previous?.id ?? null, endorsement: endorsement ?? null }
        : {}),
    })
    .returning();
  if (!row) throw new Error("key insert returned nothing");
  await recordAudit(tx, by, {
    action: previous ? "key.rotated" : "key.created",
    outcome: "succeeded",
    target: { type: `${kind}_key`, id: row.id },
    details: {
      kind,
      algorithm: spec.algorithm,
      version,
      fingerprint: row.fingerprint,
      ...(previous ? { previous_key_id: previous.id } : {}),
      ...(activatesAt ? { activates_at: activatesAt.toISOString() } : {}),
    },
  });
  return row;
}

/** `endorser`'s ML-DSA-65 signature over the new signing key (ENVELOPE.md §9.1), base64. */
async function endorse(
  endorser: TenantKey,
  key: {
    tenantId: string;
    keyId: string;
    version: number;
    publicKey: Uint8Array;
    activatesAt: Date;
  },
) {
  const message = endorsementMessage({
    ...key,
    activatesAt: key.activatesAt.toISOString(),
    endorsedBy: endorser.id,
  });
  const backend = await serverBackend();
  return toB64(await withSecretKey(endorser, "signing", (sk) => backend.dsaSign(message, sk)));
}

// Unwrapped secret keys are cached in process memory for PQSEAL_KEY_CACHE_SECONDS (default
// 300; 0 disables), so the hot path does not call the KMS (a network round trip with aws-kms)
// and re-expand the seed for every envelope. Evicted keys are wiped.
type Cached = { secretKey: Uint8Array; expires: number };
const globalForCache = globalThis as unknown as { pqsealKeyCache?: Map<string, Cached> };
const cache = (globalForCache.pqsealKeyCache ??= new Map<string, Cached>());

/** Runs `fn` with the key's secret key; the key is wiped afterwards unless it is cached. */
export async function withSecretKey<T>(
  key: TenantKey,
  kind: TenantKeyKind,
  fn: (secretKey: Uint8Array) => T | Promise<T>,
): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key.id);
  const lookups = metrics().cacheLookups;
  if (hit && hit.expires > now) {
    lookups.inc({ cache: "tenant_secret_keys", result: "hit" });
    return fn(hit.secretKey);
  }
  lookups.inc({ cache: "tenant_secret_keys", result: "miss" });
  if (hit) {
    wipe(hit.secretKey);
    cache.delete(key.id);
  }
  const spec = SPEC[kind];
  const seed = await unwrapForTenant(key.tenantId, spec.purpose, key.wrappedSecret);
  const { secretKey, publicKey } = spec.keygen(nobleBackend, seed);
  wipe(seed);
  if (Buffer.from(publicKey).toString("base64") !== key.publicKey) {
    wipe(secretKey);
    throw new Error(`key ${key.id}: unwrapped seed does not match the stored public key`);
  }
  const ttl = env().PQSEAL_KEY_CACHE_SECONDS * 1000;
  if (ttl === 0) {
    try {
      return await fn(secretKey);
    } finally {
      wipe(secretKey);
    }
  }
  cache.set(key.id, { secretKey, expires: now + ttl });
  return fn(secretKey);
}

/** Wipes and forgets every cached secret key and key row (tests, and after a KMS change). */
export function clearKeyCache() {
  for (const entry of cache.values()) wipe(entry.secretKey);
  cache.clear();
  currentKeys.clear();
}

/** Re-wraps every stored seed of the tenant under `settings` (the re-wrap job). */
export async function rewrapTenantKeySeeds(tx: Tx, tenantId: string, settings: KmsSettings) {
  let moved = 0;
  for (const kind of ["signing", "vault"] as const) {
    const { table, purpose } = SPEC[kind];
    const rows = await tx.select().from(table).where(eq(table.tenantId, tenantId));
    for (const row of rows) {
      const seed = await unwrapForTenant(tenantId, purpose, row.wrappedSecret);
      const wrappedSecret = await wrapWith(settings, tenantId, purpose, seed);
      wipe(seed);
      await tx
        .update(table)
        .set({ wrappedSecret })
        .where(and(eq(table.tenantId, tenantId), eq(table.id, row.id)));
      moved++;
    }
  }
  return moved;
}
