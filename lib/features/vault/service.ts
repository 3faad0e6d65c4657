import "server-only";
import { getCredentialOrThrow, type CredentialMetadata } from "./queries";
import { createHmac } from "node:crypto";
import { and, desc, eq, gt, isNotNull, isNull, lt, or } from "drizzle-orm";
import { getDb } from "@/db";
import { TtlCache } from "@/lib/platform/cache/ttl-cache";
import { credentials, credentialVersions, integrations } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { actingUserId, type Acting } from "@/lib/platform/request-context/acting";
import { AppError, notFound } from "@/lib/platform/errors/app-error";
import { parseInput } from "@/lib/platform/http/parse-input";
import { newId } from "@/lib/shared/ids";
import { getClientKey } from "@/lib/platform/keys/client-keys";
import { recordSigningKeyFetches } from "@/lib/platform/keys/signing-keys";
import { currentTenantKeyCached, listTenantKeys } from "@/lib/platform/keys/tenant-keys";
import { tenantHmacKey } from "@/lib/platform/kms/local-kms";
import { credentialBinding } from "@/lib/platform/sealing/bindings";
import { openForTenant, sealForTenant } from "@/lib/platform/sealing/store";
import { CREDENTIAL_VALUE_SCHEMAS, type CredentialType, type CredentialValues } from "./schemas";
import {
  accountSidOf,
  isTwilioCredential,
  maskAccountSid,
  type CredentialCheck,
} from "./check-credential";

// Every credential query is scoped to the acting tenant through these two predicates.
const ownCredential = (tenantId: string, id: string) =>
  and(eq(credentials.tenantId, tenantId), eq(credentials.id, id));
const versionsOf = (tenantId: string, id: string) =>
  and(eq(credentialVersions.tenantId, tenantId), eq(credentialVersions.credentialId, id));

/** Keyed hash of the values: identifies a secret without revealing it (hex, 64 chars). */
function fingerprintValues(tenantId: string, values: Record<string, unknown>) {
  const key = tenantHmacKey(tenantId, "credential-fingerprint");
  const canonical = JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
  return createHmac("sha256", key).update(canonical).digest("hex");
}

function validValues<T extends CredentialType>(type: T, values: unknown): CredentialValues<T> {
  return parseInput(CREDENTIAL_VALUE_SCHEMAS[type], values, {
    prefix: "values",
    message: `The values do not fit a ${type} credential:`,
  }) as CredentialValues<T>;
}

/**
 * How a credential is checked before it is stored: the API and the console pass
 * checkTwilioCredential (Twilio's account fetch), so values Twilio refuses are never sealed.
 * Left out (tests and seeders sealing made-up accounts), the credential is stored unverified.
 */
export type CheckOptions = { check?: CredentialCheck | undefined };

/**
 * The masked Account SID of a basic_auth or api_key credential, and when Twilio accepted it
 * (now, after `check` resolved; null unchecked). A webhook_secret has neither and is not checked.
 */
async function twilioFacts(
  tenantId: string,
  type: CredentialType,
  values: unknown,
  check?: CredentialCheck,
) {
  const credential = { type, values };
  if (!isTwilioCredential(credential)) return { accountSidMasked: null, verifiedAt: null };
  if (check) await check(credential, tenantId);
  return {
    accountSidMasked: maskAccountSid(accountSidOf(credential)),
    verifiedAt: check ? new Date() : null,
  };
}

export async function sealCredential(
  acting: Acting,
  input: { type: CredentialType; name: string; values: unknown; graceSeconds?: number | undefined },
  { check }: CheckOptions = {},
): Promise<CredentialMetadata> {
  const values = validValues(input.type, input.values);
  // Before anything is written: a refused credential leaves no row and no event.
  const facts = await twilioFacts(acting.tenantId, input.type, values, check);
  const id = newId("credential");
  const fingerprint = fingerprintValues(acting.tenantId, values);
  await getDb().transaction(async (tx) => {
    const { sealed, vaultKeyId } = await sealForTenant(
      "credential",
      credentialBinding(acting.tenantId, id, input.type, 1),
      values,
      tx,
    );
    await tx.insert(credentials).values({
      id,
      tenantId: acting.tenantId,
      name: input.name,
      type: input.type,
      currentVersion: 1,
      graceSeconds: input.graceSeconds ?? 86_400,
      createdBy: actingUserId(acting),
      accountSidMasked: facts.accountSidMasked,
      verifiedAt: facts.verifiedAt,
    });
    await tx.insert(credentialVersions).values({
      credentialId: id,
      tenantId: acting.tenantId,
      version: 1,
      vaultKeyId,
      sealed,
      fingerprint,
    });
    await recordAudit(tx, acting, {
      action: "vault.sealed",
      outcome: "succeeded",
      target: { type: "credential", id },
      details: {
        name: input.name,
        type: input.type,
        version: 1,
        fingerprint: fingerprint.slice(0, 16),
        vault_key_id: vaultKeyId,
        ...auditedFacts(facts),
      },
    });
  });
  return getCredentialOrThrow({ tenantId: acting.tenantId, id });
}

/** What the audit event says of the check: the masked SID and whether Twilio accepted it. */
const auditedFacts = (facts: Awaited<ReturnType<typeof twilioFacts>>) =>
  facts.accountSidMasked
    ? { account_sid_masked: facts.accountSidMasked, verified: facts.verifiedAt !== null }
    : {};

export async function rotateCredential(
  acting: Acting,
  id: string,
  input: { values: unknown; graceSeconds?: number | undefined },
  { check }: CheckOptions = {},
): Promise<CredentialMetadata> {
  const [existing] = await getDb()
    .select()
    .from(credentials)
    .where(ownCredential(acting.tenantId, id));
  if (!existing) throw notFound("Credential");
  const type = existing.type as CredentialType;
  const values = validValues(type, input.values);
  // New values are tried before the old ones are superseded (outside the transaction: a
  // network call holds no row lock).
  const facts = await twilioFacts(acting.tenantId, type, values, check);
  const fingerprint = fingerprintValues(acting.tenantId, values);
  await getDb().transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(credentials)
      .where(ownCredential(acting.tenantId, id))
      .for("update");
    if (!locked) throw notFound("Credential");
    const version = locked.currentVersion + 1;
    const graceSeconds = input.graceSeconds ?? locked.graceSeconds;
    const { sealed, vaultKeyId } = await sealForTenant(
      "credential",
      credentialBinding(acting.tenantId, id, type, version),
      values,
      tx,
    );
    const now = new Date();
    // Drop superseded versions whose grace period is over: nothing may use them any more.
    await tx
      .delete(credentialVersions)
      .where(
        and(
          versionsOf(acting.tenantId, id),
          isNotNull(credentialVersions.validUntil),
          lt(credentialVersions.validUntil, now),
        ),
      );
    // Every older version ends its grace period no later than the one being superseded now.
    const graceEnd = new Date(now.getTime() + graceSeconds * 1000);
    await tx
      .update(credentialVersions)
      .set({ validUntil: graceEnd })
      .where(
        and(
          versionsOf(acting.tenantId, id),
          or(isNull(credentialVersions.validUntil), gt(credentialVersions.validUntil, graceEnd)),
        ),
      );
    await tx.insert(credentialVersions).values({
      credentialId: id,
      tenantId: acting.tenantId,
      version,
      vaultKeyId,
      sealed,
      fingerprint,
    });
    await tx
      .update(credentials)
      .set({
        currentVersion: version,
        graceSeconds,
        updatedAt: now,
        accountSidMasked: facts.accountSidMasked,
        verifiedAt: facts.verifiedAt,
      })
      .where(ownCredential(acting.tenantId, id));
    await recordAudit(tx, acting, {
      action: "vault.rotated",
      outcome: "succeeded",
      target: { type: "credential", id },
      details: {
        name: locked.name,
        type,
        version: { from: locked.currentVersion, to: version },
        fingerprint: fingerprint.slice(0, 16),
        grace_seconds: graceSeconds,
        ...auditedFacts(facts),
      },
    });
  });
  forgetUnsealed(acting.tenantId, id);
  return getCredentialOrThrow({ tenantId: acting.tenantId, id });
}

export async function deleteCredential(acting: Acting, id: string) {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(credentials)
      .where(ownCredential(acting.tenantId, id))
      .for("update");
    if (!row) throw notFound("Credential");
    const users = (
      await tx
        .select({ id: integrations.id })
        .from(integrations)
        .where(
          and(
            eq(integrations.tenantId, acting.tenantId),
            or(eq(integrations.credentialId, id), eq(integrations.webhookCredentialId, id)),
          ),
        )
    ).map((r) => r.id);
    if (users.length > 0) {
      throw new AppError(
        "credential_in_use",
        `This credential is used by ${users.length === 1 ? "integration" : "integrations"} ${users.join(", ")}.`,
        { remediation: "Point those integrations at another credential, or delete them first." },
      );
    }
    await tx.delete(credentialVersions).where(versionsOf(acting.tenantId, id));
    await tx.delete(credentials).where(ownCredential(acting.tenantId, id));
    await recordAudit(tx, acting, {
      action: "vault.revoked",
      outcome: "succeeded",
      target: { type: "credential", id },
      details: { name: row.name, type: row.type, version: row.currentVersion },
    });
  });
  forgetUnsealed(acting.tenantId, id);
}

export type Unsealed<T extends CredentialType = CredentialType> = {
  id: string;
  type: T;
  version: number;
  values: CredentialValues<T>;
};

/**
 * Server-side only: the credential's current values, and with `includeGrace` also superseded
 * versions still inside their grace period (newest first). Audited as `vault.unsealed`.
 * Never returned over HTTP.
 */
export async function unsealCredential(
  acting: Acting,
  id: string,
  options: {
    reason: string;
    includeGrace?: boolean;
    integrationId?: string;
    /**
     * false: the caller records the use in its own event (the proxy's event names the
     * credential and version), instead of a separate `vault.unsealed` event.
     */
    audit?: boolean;
  },
): Promise<Unsealed[]> {
  // Hot paths (proxy, webhook validation) record the use in their own event; for them the
  // unsealed values are kept in memory for 5 s (forgotten here on rotation or deletion).
  if (options.audit === false) {
    return unsealedCache.get(`${acting.tenantId}:${id}:${options.includeGrace ? 1 : 0}`, () =>
      unsealFromDb(acting, id, options),
    );
  }
  return unsealFromDb(acting, id, options);
}

const unsealedCache = new TtlCache<Unsealed[]>(5_000, "unsealed_credentials");
const forgetUnsealed = (tenantId: string, id: string) => {
  unsealedCache.delete(`${tenantId}:${id}:0`);
  unsealedCache.delete(`${tenantId}:${id}:1`);
};

async function unsealFromDb(
  acting: Acting,
  id: string,
  options: Parameters<typeof unsealCredential>[2],
): Promise<Unsealed[]> {
  const db = getDb();
  const rows = await db
    .select({ credential: credentials, version: credentialVersions })
    .from(credentials)
    .innerJoin(
      credentialVersions,
      and(
        eq(credentialVersions.credentialId, credentials.id),
        eq(credentialVersions.tenantId, acting.tenantId),
      ),
    )
    .where(ownCredential(acting.tenantId, id))
    .orderBy(desc(credentialVersions.version));
  const nowMs = Date.now();
  const usable = rows.filter(
    ({ credential: c, version: v }) =>
      v.version === c.currentVersion ||
      (options.includeGrace && v.validUntil && v.validUntil.getTime() > nowMs),
  );
  if (usable.length === 0) throw notFound("Credential");
  const out: Unsealed[] = [];
  for (const { credential: c, version: v } of usable) {
    const values = await openForTenant(
      "credential",
      credentialBinding(acting.tenantId, c.id, c.type, v.version),
      v,
    );
    out.push({ id: c.id, type: c.type as CredentialType, version: v.version, values } as Unsealed);
  }
  const now = new Date();
  const stale = usable.some(
    ({ credential: c }) => !c.lastUsedAt || now.getTime() - c.lastUsedAt.getTime() > 60_000,
  );
  if (options.audit === false) {
    // Last-used is kept to the minute, so the hot path does not write on every call.
    if (stale) {
      await db
        .update(credentials)
        .set({ lastUsedAt: now })
        .where(ownCredential(acting.tenantId, id));
    }
    return out;
  }
  await db.transaction(async (tx) => {
    await tx.update(credentials).set({ lastUsedAt: now }).where(ownCredential(acting.tenantId, id));
    await recordAudit(tx, acting, {
      action: "vault.unsealed",
      outcome: "succeeded",
      target: { type: "credential", id },
      ...(options.integrationId ? { integrationId: options.integrationId } : {}),
      details: { reason: options.reason, versions: out.map((u) => u.version) },
    });
  });
  return out;
}

/**
 * The tenant's public keys for GET /api/v2/keys (ENVELOPE.md §9.1), and the calling key's
 * client key. A new tenant's signing key is made on first need, and a client pinning it is
 * one; which signing keys this API key was shown is recorded (Settings shows it).
 */
export async function publicKeysFor(caller: {
  tenantId: string;
  keyId: string;
  clientKeyId: string | null;
}) {
  await currentTenantKeyCached(caller.tenantId, "signing");
  const [signing, vault, client] = await Promise.all([
    listTenantKeys(caller.tenantId, "signing"),
    listTenantKeys(caller.tenantId, "vault"),
    caller.clientKeyId ? getClientKey(caller.tenantId, caller.clientKeyId) : undefined,
  ]);
  await recordSigningKeyFetches(
    caller.tenantId,
    caller.keyId,
    signing.map((k) => k.id),
  );
  return { signing, vault, client };
}
