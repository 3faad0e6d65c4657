import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Tx } from "@/db";
import {
  credentials,
  credentialVersions,
  idempotencyKeys,
  integrations,
  webhookEvents,
} from "@/db/schema";
import {
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
  rowsOf: (tx: Tx, tenantId: string) => Promise<SealedRow[]>;
}

// Every sealed column PQSeal has. A new sealed column must be added here, or the re-wrap job
// leaves it under an old vault key or KMS (sealing.int.test.ts checks every table for that).
export const SEALED_COLUMNS: SealedColumn[] = [
  {
    name: "credential_versions.sealed",
    purpose: "credential",
    rowsOf: async (tx, tenantId) => {
      const rows = await tx
        .select({ v: credentialVersions, type: credentials.type })
        .from(credentialVersions)
        .innerJoin(credentials, eq(credentials.id, credentialVersions.credentialId))
        .where(eq(credentialVersions.tenantId, tenantId));
      return rows.map(({ v, type }) => ({
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
    rowsOf: async (tx, tenantId) => {
      const rows = await tx
        .select({
          id: webhookEvents.id,
          sealed: webhookEvents.sealedRequest,
          vaultKeyId: webhookEvents.vaultKeyId,
        })
        .from(webhookEvents)
        .where(eq(webhookEvents.tenantId, tenantId));
      return rows.map((r) => ({
        binding: webhookRequestBinding(tenantId, r.id),
        value: { sealed: r.sealed, vaultKeyId: r.vaultKeyId },
        save: async (t, next) => {
          await t
            .update(webhookEvents)
            .set({ sealedRequest: next.sealed, vaultKeyId: next.vaultKeyId })
            .where(and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.id, r.id)));
        },
      }));
    },
  },
  {
    name: "idempotency_keys.sealed_result",
    purpose: "idempotentResult",
    rowsOf: async (tx, tenantId) => {
      const rows = await tx
        .select()
        .from(idempotencyKeys)
        .where(
          and(eq(idempotencyKeys.tenantId, tenantId), isNotNull(idempotencyKeys.sealedResult)),
        );
      return rows.flatMap((r) =>
        r.sealedResult && r.vaultKeyId
          ? [
              {
                binding: idempotentResultBinding(tenantId, r.apiKeyId, r.key),
                value: { sealed: r.sealedResult, vaultKeyId: r.vaultKeyId },
                save: async (t: Tx, next: SealedValue) => {
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
              },
            ]
          : [],
      );
    },
  },
  {
    name: "integrations.forward_secret_sealed",
    purpose: "forwardSecret",
    rowsOf: async (tx, tenantId) => {
      const rows = await tx
        .select({
          id: integrations.id,
          sealed: integrations.forwardSecretSealed,
          vaultKeyId: integrations.forwardSecretVaultKeyId,
        })
        .from(integrations)
        .where(
          and(eq(integrations.tenantId, tenantId), isNotNull(integrations.forwardSecretSealed)),
        );
      return rows.flatMap((r) =>
        r.sealed && r.vaultKeyId
          ? [
              {
                binding: forwardSecretBinding(tenantId, r.id),
                value: { sealed: r.sealed, vaultKeyId: r.vaultKeyId },
                save: async (t: Tx, next: SealedValue) => {
                  await t
                    .update(integrations)
                    .set({
                      forwardSecretSealed: next.sealed,
                      forwardSecretVaultKeyId: next.vaultKeyId,
                    })
                    .where(and(eq(integrations.tenantId, tenantId), eq(integrations.id, r.id)));
                },
              },
            ]
          : [],
      );
    },
  },
];
