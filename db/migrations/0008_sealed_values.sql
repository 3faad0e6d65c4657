ALTER TABLE "integrations" ADD COLUMN "forward_secret_vault_key_id" text;--> statement-breakpoint
-- Forwarding secrets used to pack the vault key id into the value ("<key id>|<wrapped>"); every
-- sealed value now keeps its key id in a column of its own (lib/platform/sealing/store.ts).
UPDATE "integrations"
SET "forward_secret_vault_key_id" = split_part("forward_secret_sealed", '|', 1),
    "forward_secret_sealed" = substr("forward_secret_sealed", strpos("forward_secret_sealed", '|') + 1)
WHERE "forward_secret_sealed" LIKE '%|%';
