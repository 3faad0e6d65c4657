import Link from "next/link";
import { anyOf, rolesThatCan } from "@/lib/features/members/roles";
import { ONBOARDING_STEPS, type OnboardingProgress } from "@/lib/features/onboarding/steps";
import type { Permission } from "@/lib/platform/request-context/permissions";

/**
 * The first dashboard: seal -> integration -> API key -> first test send, each ticked off from
 * the tenant's rows, with the way to do it or, for a role that cannot, who can. Done steps say
 * so in words and with a tick (never by colour alone).
 */
export function OnboardingChecklist({
  tenantId,
  progress,
  can,
}: {
  tenantId: string;
  progress: OnboardingProgress;
  can: (permission: Permission) => boolean;
}) {
  const done = ONBOARDING_STEPS.filter((s) => progress[s.key]).length;
  const total = ONBOARDING_STEPS.length;
  const next = ONBOARDING_STEPS.find((s) => !progress[s.key]);
  return (
    <section
      aria-labelledby="onboarding-title"
      className="mb-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
      data-testid="onboarding"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="onboarding-title" className="text-base font-semibold text-slate-900">
          Set up this tenant
        </h2>
        <p
          id="onboarding-summary"
          className="text-sm text-slate-700"
          data-testid="onboarding-summary"
        >
          {done} of {total} done
        </p>
      </div>
      <progress
        value={done}
        max={total}
        aria-labelledby="onboarding-summary"
        className="accent-brand-600 mt-2 h-2 w-full"
      />
      <ol aria-label="Setup steps" className="mt-4 space-y-3">
        {ONBOARDING_STEPS.map((step, index) => {
          const isDone = progress[step.key];
          const allowed = can(step.permission);
          return (
            <li
              key={step.key}
              className="flex gap-3"
              data-testid="onboarding-step"
              data-step={step.key}
              data-done={isDone ? "true" : "false"}
              aria-current={step === next ? "step" : undefined}
            >
              <span
                aria-hidden="true"
                className={
                  isDone
                    ? "flex size-7 shrink-0 items-center justify-center rounded-full bg-emerald-700 text-sm font-semibold text-white"
                    : "flex size-7 shrink-0 items-center justify-center rounded-full border border-slate-400 text-sm font-semibold text-slate-700"
                }
              >
                {isDone ? "✓" : index + 1}
              </span>
              <div className="min-w-0 flex-1">
                <p className="font-medium text-slate-900">
                  {step.title}{" "}
                  <span
                    className={
                      isDone
                        ? "ml-1 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800"
                        : "ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700"
                    }
                  >
                    {isDone ? "Done" : "To do"}
                  </span>
                </p>
                <p className="mt-0.5 text-sm text-slate-600">{step.description}</p>
                {isDone ? null : allowed ? (
                  <Link
                    href={`/t/${tenantId}${step.path}`}
                    className="text-brand-700 mt-1 inline-block text-sm font-medium underline"
                  >
                    {step.cta}
                  </Link>
                ) : (
                  <p className="mt-1 text-sm text-slate-700" data-testid="onboarding-who-can">
                    Your role cannot do this step: ask {anyOf(rolesThatCan(step.permission))}.
                  </p>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** What the checklist collapses into once every step is done. */
export function SetupComplete() {
  return (
    <p className="mb-4 text-sm text-slate-700" data-testid="setup-complete">
      <span aria-hidden="true" className="mr-1 font-semibold text-emerald-700">
        ✓
      </span>
      Setup complete: a credential, an integration, an API key and a first message sent.
    </p>
  );
}
