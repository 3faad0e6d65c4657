"use client";
import type { ReactNode } from "react";
import type { ActionState } from "@/lib/shared/action-state";
import { TenantForm, type FormAction } from "./action-form";
import type { ButtonProps } from "./button";
import { cn } from "./cn";
import { ConfirmDialog, PendingProgress } from "./confirm-dialog";
import { SubmitButton } from "./submit-button";

/**
 * One button that runs a tenant action on one thing (revoke, delete, replay), with its
 * result message beside it. With `confirm`, it asks first in a ConfirmDialog.
 */
export function TenantActionButton<T = undefined>({
  action,
  tenantId,
  hiddenFields,
  children,
  variant = "secondary",
  size,
  buttonProps,
  confirm,
  pendingLabel,
  progress,
  result,
  className,
}: {
  action: FormAction<T>;
  tenantId: string;
  hiddenFields?: Record<string, string | undefined>;
  /** The button label. */
  children: ReactNode;
  variant?: ButtonProps["variant"];
  size?: ButtonProps["size"];
  /** Further button attributes (an aria-label naming the row, say). */
  buttonProps?: Omit<ButtonProps, "type" | "children" | "variant" | "size">;
  confirm?: { title: string; description: ReactNode; confirmLabel: string };
  /** The button's label while the action runs ("Re-wrapping…"). */
  pendingLabel?: ReactNode;
  /** Shown with a progress bar while the action runs, for actions that take a while. */
  progress?: string;
  result?: (state: ActionState<T>) => ReactNode;
  className?: string;
}) {
  return (
    <TenantForm
      action={action}
      tenantId={tenantId}
      hiddenFields={hiddenFields}
      result={result}
      className={cn("flex flex-wrap items-center gap-2", className)}
    >
      {confirm ? (
        <ConfirmDialog
          trigger={children}
          triggerProps={{ variant, size, ...buttonProps }}
          pendingLabel={pendingLabel}
          progress={progress}
          {...confirm}
        />
      ) : (
        <>
          <SubmitButton variant={variant} size={size} pendingLabel={pendingLabel} {...buttonProps}>
            {children}
          </SubmitButton>
          {progress ? <PendingProgress label={progress} /> : null}
        </>
      )}
    </TenantForm>
  );
}
