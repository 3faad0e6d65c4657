import type { Permission } from "@/lib/platform/request-context/permissions";

/** The first-run path of a tenant, in order: each step is done once its rows exist. */
export const ONBOARDING_STEPS = [
  {
    key: "credential",
    title: "Seal a Twilio credential",
    description:
      "Your Account SID with its Auth Token (or an API key and secret), checked against Twilio and sealed in the vault.",
    path: "/vault",
    cta: "Seal a credential",
    permission: "vault:write",
  },
  {
    key: "integration",
    title: "Create an integration",
    description:
      "Bind the credential to a policy: which operations, senders and destination countries are allowed.",
    path: "/integrations",
    cta: "Create an integration",
    permission: "integrations:write",
  },
  {
    key: "apiKey",
    title: "Create an API key",
    description: "A key for your service to call PQSeal's API with, scoped to what it needs.",
    path: "/api-keys",
    cta: "Create an API key",
    permission: "keys:write",
  },
  {
    key: "firstSend",
    title: "Send a first test message",
    description:
      "Send an SMS (or start a verification) through your integration from the test console, or through the API, to see the whole path work.",
    path: "/console",
    cta: "Open the test console",
    permission: "console:use",
  },
] as const satisfies readonly {
  key: string;
  title: string;
  description: string;
  /** Under /t/<tenant id>. */
  path: string;
  cta: string;
  permission: Permission;
}[];

type OnboardingStepKey = (typeof ONBOARDING_STEPS)[number]["key"];
export type OnboardingProgress = Record<OnboardingStepKey, boolean>;
