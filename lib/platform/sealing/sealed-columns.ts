import "server-only";
import { and, asc, eq, gt, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db";
import {
  auditStreams,
  credentials,
  credentialVersions,
  idempotencyKeys,
  integrations,
  webhookEvents,
} from "@/db/schema";
import {
  auditStreamSecretBinding,
  credentialBinding,
  forwardSecretBinding,
  idempotentResultBinding,
  webhookRequestBinding,
} from "./bindings";
import type { SealBinding } from "./seal";
import type { SealedValue, SealPurpose } from "./store";

/** One stored sealed value, with what it is bound to and how to store its replacement. */
export interface SealedRow {
  binding: SealBinding;
  value: SealedValue;
  save: (tx: Tx, next: SealedValue) => Promise<void>;
}

/** A table column that holds sealed values (db/schema/columns.ts `sealedColumns`). */
export interface SealedColumn {
  /** `table.column`, as in the database. */
  name: string;
  purpose: SealPurpose;
  /** Up to `limit` of the tenant's values after `cursor`, in a stable order (keyset paging). */
  page: (tx: Tx, tenantId: string, cursor: string | null, limit: number) => Promise<SealedPage>;
  /** Removes values nobody may read any more (expired idempotent results) before a re-wrap. */
  prune?: (tx: Tx, tenantId: string) => Promise<void>;
}

type SealedPage = { rows: SealedRow[]; next: string | null };

/** The page of `rows` (each with its sort key `k`), and the cursor after its last row. */
function pageOf<R extends { k: string }>(
  rows: R[],
  limit: number,
  toRow: (r: R) => SealedRow,
): SealedPage {
  return { rows: rows.map(toRow), next: rows.length === limit ? (rows.at(-1)?.k ?? null) : null };
}

const after = (key: SQL, cursor: string | null) => (cursor === null ? undefined : gt(key, cursor));

/** A value whose key id is missing cannot be moved: refuse loudly instead of skipping it. */
function requireKeyId(name: string, vaultKeyId: string | null): string {
  if (!vaultKeyId) throw new Error(`${name}: a sealed value has no vault key id`);
  return vaultKeyId;
}

const versionKey = sql<string>`${credentialVersions.credentialId} || ':' || lpad(${credentialVersions.version}::text, 10, '0')`;
const idempotencyKey = sql<string>`${idempotencyKeys.apiKeyId} || ':' || ${idempotencyKeys.key}`;

// Every sealed column PQSeal has. A new sealed column must be added here, or the re-wrap job
// leaves it under an old vault key or KMS (lib/features/settings/rewrap.int.test.ts checks the
// schema for columns missing here).
export const SEALED_COLUMNS: SealedColumn[] = [
  {
    name: "credential_versions.sealed",
    purpose: "credential",
    page: async (tx, tenantId, cursor, limit) => {
      const rows = await tx
        .select({ k: versionKey, v: credentialVersions, type: credentials.type })
        .from(credentialVersions)
        .innerJoin(credentials, eq(credentials.id, credentialVersions.credentialId))
        .where(and(eq(credentialVersions.tenantId, tenantId), after(versionKey, cursor)))
        .orderBy(asc(versionKey))
        .limit(limit);
      return pageOf(rows, limit, ({ v, type }) => ({
        binding: credentialBinding(tenantId, v.credentialId, type, v.version),
        value: { sealed: v.sealed, vaultKeyId: v.vaultKeyId },
        save: async (t, next) => {
          await t
            .update(credentialVersions)
            .set({ sealed: next.sealed, vaultKeyId: next.vaultKeyId })
            .where(
              and(
                eq(credentialVersions.tenantId, tenantId),
                eq(credentialVersions.credentialId, v.credentialId),
                eq(credentialVersions.version, v.version),
              ),
            );
        },
      }));
    },
  },
  {
    name: "webhook_events.sealed_request",
    purpose: "webhookRequest",
    page: async (tx, tenantId, cursor, limit) => {
      const rows = await tx
        .select({
          k: webhookEvents.id,
          sealed: webhookEvents.sealedRequest,
          vaultKeyId: webhookEvents.vaultKeyId,
        })
        .from(webhookEvents)
        .where(and(eq(webhookEvents.tenantId, tenantId), after(sql`${webhookEvents.id}`, cursor)))
        .orderBy(asc(webhookEvents.id))
        .limit(limit);
      return pageOf(rows, limit, (r) => ({
        binding: webhookRequestBinding(tenantId, r.k),
        value: { sealed: r.sealed, vaultKeyId: r.vaultKeyId },
        save: async (t, next) => {
          await t
            .update(webhookEvents)
            .set({ sealedRequest: next.sealed, vaultKeyId: next.vaultKeyId })
            .where(and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.id, r.k)));
        },
      }));
    },
  },
  {
    name: "idempotency_keys.sealed_result",
    purpose: "idempotentResult",
    prune: async (tx, tenantId) => {
      await tx
        .delete(idempotencyKeys)
        .where(
          and(eq(idempotencyKeys.tenantId, tenantId), lt(idempotencyKeys.expiresAt, new Date())),
        );
    },
    page: async (tx, tenantId, cursor, limit) => {
      const rows = await tx
        .select({ k: idempotencyKey, r: idempotencyKeys })
        .from(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.tenantId, tenantId),
            isNotNull(idempotencyKeys.sealedResult),
            after(idempotencyKey, cursor),
          ),
        )
        .orderBy(asc(idempotencyKey))
        .limit(limit);
      return pageOf(rows, limit, ({ r }) => ({
        binding: idempotentResultBinding(tenantId, r.apiKeyId, r.key),
        value: {
          sealed: r.sealedResult ?? "",
          vaultKeyId: requireKeyId("idempotency", r.vaultKeyId),
        },
        save: async (t, next) => {
          await t
            .update(idempotencyKeys)
            .set({ sealedResult: next.sealed, vaultKeyId: next.vaultKeyId })
            .where(
              and(
                eq(idempotencyKeys.tenantId, tenantId),
                eq(idempotencyKeys.apiKeyId, r.apiKeyId),
                eq(idempotencyKeys.key, r.key),
              ),
            );
        },
      }));
    },
  },
  {
    name: "integrations.forward_secret_sealed",
    purpose: "forwardSecret",
    page: async (tx, tenantId, cursor, limit) => {
      const rows = await tx
        .select({
          k: integrations.id,
          sealed: integrations.forwardSecretSealed,
          vaultKeyId: integrations.forwardSecretVaultKeyId,
        })
        .from(integrations)
        .where(
          and(
            eq(integrations.tenantId, tenantId),
            isNotNull(integrations.forwardSecretSealed),
            after(sql`${integrations.id}`, cursor),
          ),
        )
        .orderBy(asc(integrations.id))
        .limit(limit);
      return pageOf(rows, limit, (r) => ({
        binding: forwardSecretBinding(tenantId, r.k),
        value: { sealed: r.sealed ?? "", vaultKeyId: requireKeyId("forwarding", r.vaultKeyId) },
        save: async (t, next) => {
          await t
            .update(integrations)
            .set({ forwardSecretSealed: next.sealed, forwardSecretVaultKeyId: next.vaultKeyId })
            .where(and(eq(integrations.tenantId, tenantId), eq(integrations.id, r.k)));
        },
      }));
    },
  },
  {
    // A regenerated forwarding secret's predecessor, still signing until its grace ends; sealed
    // with the same binding as the current one (a rotation moves it across unopened).
    name: "integrations.forward_previous_secret_sealed",
    purpose: "forwardSecret",
    prune: async (tx, tenantId) => {
      await tx
        .update(integrations)
        .set({
          forwardPreviousSecretSealed: null,
          forwardPreviousSecretVaultKeyId: null,
          forwardPreviousValidUntil: null,
        })
        .where(
          and(
            eq(integrations.tenantId, tenantId),
            isNotNull(integrations.forwardPreviousSecretSealed),
            or(
              isNull(integrations.forwardPreviousValidUntil),
              lt(integrations.forwardPreviousValidUntil, new Date()),
            ),
          ),
        );
    },
    page: async (tx, tenantId, cursor, limit) => {
      const rows = await tx
        .select({
          k: integrations.id,
          sealed: integrations.forwardPreviousSecretSealed,
          vaultKeyId: integrations.forwardPreviousSecretVaultKeyId,
        })
        .from(integrations)
        .where(
          and(
            eq(integrations.tenantId, tenantId),
            isNotNull(integrations.forwardPreviousSecretSealed),
            after(sql`${integrations.id}`, cursor),
          ),
        )
        .orderBy(asc(integrations.id))
        .limit(limit);
      return pageOf(rows, limit, (r) => ({
        binding: forwardSecretBinding(tenantId, r.k),
        value: {
          sealed: r.sealed ?? "",
          vaultKeyId: requireKeyId("previous forwarding", r.vaultKeyId),
        },
        save: async (t, next) => {
          await t
            .update(integrations)
            .set({
              forwardPreviousSecretSealed: next.sealed,
              forwardPreviousSecretVaultKeyId: next.vaultKeyId,
            })
            .where(and(eq(integrations.tenantId, tenantId), eq(integrations.id, r.k)));
        },
      }));
    },
  },
  {
    // An audit stream's secret: its webhook signing secret, Splunk HEC token or S3 secret key.
    name: "audit_streams.secret_sealed",
    purpose: "auditStreamSecret",
    page: async (tx, tenantId, cursor, limit) => {
      const rows = await tx
        .select({
          k: auditStreams.id,
          sealed: auditStreams.secretSealed,
          vaultKeyId: auditStreams.secretVaultKeyId,
        })
        .from(auditStreams)
        .where(and(eq(auditStreams.tenantId, tenantId), after(sql`${auditStreams.id}`, cursor)))
        .orderBy(asc(auditStreams.id))
        .limit(limit);
      return pageOf(rows, limit, (r) => ({
        binding: auditStreamSecretBinding(tenantId, r.k),
        value: { sealed: r.sealed, vaultKeyId: r.vaultKeyId },
        save: async (t, next) => {
          await t
            .update(auditStreams)
            .set({ secretSealed: next.sealed, secretVaultKeyId: next.vaultKeyId })
            .where(and(eq(auditStreams.tenantId, tenantId), eq(auditStreams.id, r.k)));
        },
      }));
    },
  },
];
