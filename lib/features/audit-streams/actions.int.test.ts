// The stream actions through the chokepoint: settings:write (with a fresh second factor) may
// change streams; an auditor may not; another tenant's stream is not found.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { STEP_UP_MESSAGE } from "@/lib/platform/request-context/tenant-action";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import {
  createStreamAction,
  deleteStreamAction,
  rotateStreamSecretAction,
  setStreamEnabledAction,
} from "./actions";
import { listStreams } from "./queries";

vi.hoisted(() => {
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

describe("audit stream actions", () => {
  beforeEach(() => {
    session.user = null;
  });

  it("lets an admin create, disable, re-key and delete; refuses an auditor and a stale proof", async () => {
    const t = await createTestTenant();
    const admin = await createTestUser("admin");
    const auditor = await createTestUser("auditor");
    await addMember(t.id, admin.id, "admin");
    await addMember(t.id, auditor.id, "auditor");
    const fields = {
      tenantId: t.id,
      kind: "webhook",
      name: "SIEM",
      startFrom: "now",
      url: "http://127.0.0.1:9/audit",
    };

    session.user = testSession(auditor);
    const refused = await createStreamAction({}, form(fields));
    expect(refused.ok).toBeUndefined();
    expect(await listStreams({ tenantId: t.id })).toEqual([]);

    session.user = testSession(admin, "ses_old", { stepUpAt: new Date(Date.now() - 86400_000) });
    expect((await createStreamAction({}, form(fields))).message).toBe(STEP_UP_MESSAGE);

    session.user = testSession(admin);
    const bad = await createStreamAction({}, form({ ...fields, url: "http://10.0.0.1/" }));
    expect(bad.errors?.url).toBeDefined();
    const created = await createStreamAction({}, form(fields));
    expect(created.ok).toBe(true);
    expect(created.data?.secret).toMatch(/^whsec_/);
    const [stream] = await listStreams({ tenantId: t.id });
    const streamId = stream?.id ?? "";

    const off = await setStreamEnabledAction(
      {},
      form({ tenantId: t.id, streamId, enabled: "false" }),
    );
    expect(off.ok).toBe(true);
    expect((await listStreams({ tenantId: t.id }))[0]?.enabled).toBe(false);
    const rotated = await rotateStreamSecretAction({}, form({ tenantId: t.id, streamId }));
    expect(rotated.data?.secret).toMatch(/^whsec_/);
    expect(rotated.data?.secret).not.toBe(created.data?.secret);

    // Another tenant's admin: not found, nothing changed.
    const other = await createTestTenant();
    const stranger = await createTestUser("stranger");
    await addMember(other.id, stranger.id, "admin");
    session.user = testSession(stranger);
    const foreign = await deleteStreamAction({}, form({ tenantId: other.id, streamId }));
    expect(foreign.ok).toBeUndefined();
    expect(await listStreams({ tenantId: t.id })).toHaveLength(1);

    session.user = testSession(admin);
    expect((await deleteStreamAction({}, form({ tenantId: t.id, streamId }))).ok).toBe(true);
    expect(await listStreams({ tenantId: t.id })).toEqual([]);
  });
});
