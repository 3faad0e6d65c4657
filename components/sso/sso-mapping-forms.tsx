"use client";
import {
  addMappingAction,
  changeMappingAction,
  removeMappingAction,
} from "@/lib/features/sso/actions";
import { TenantForm } from "@/components/ui/action-form";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";

function RoleOptions({ roles }: { roles: readonly string[] }) {
  return roles.map((r) => (
    <option key={r} value={r}>
      {r}
    </option>
  ));
}

export function AddMappingForm({
  tenantId,
  roles,
}: {
  tenantId: string;
  roles: readonly string[];
}) {
  return (
    <TenantForm action={addMappingAction} tenantId={tenantId} className="space-y-3">
      {(state) => (
        <>
          <div className="flex flex-wrap items-end gap-2">
            <Field
              label="E-mail domain"
              name="domain"
              placeholder="example.com"
              autoComplete="off"
              spellCheck={false}
              errors={state.errors?.domain}
            />
            <Select
              label="Role"
              name="role"
              defaultValue="operator"
              className="w-auto"
              errors={state.errors?.role}
            >
              <RoleOptions roles={roles} />
            </Select>
          </div>
          <Checkbox label="Members must use single sign-on" name="requireSso" defaultChecked />
          <div>
            <SubmitButton>Add mapping</SubmitButton>
          </div>
        </>
      )}
    </TenantForm>
  );
}

export function ChangeMappingForm(props: {
  tenantId: string;
  mappingId: string;
  domain: string;
  role: string;
  requireSso: boolean;
  roles: readonly string[];
}) {
  return (
    <TenantForm
      action={changeMappingAction}
      tenantId={props.tenantId}
      hiddenFields={{ mappingId: props.mappingId }}
      className="flex flex-wrap items-center gap-3"
    >
      <Select
        label={`Role for ${props.domain}`}
        hideLabel
        name="role"
        defaultValue={props.role}
        className="w-auto"
      >
        <RoleOptions roles={props.roles} />
      </Select>
      <Checkbox
        label="Must use single sign-on"
        name="requireSso"
        defaultChecked={props.requireSso}
        aria-label={`Members of ${props.domain} must use single sign-on`}
      />
      <SubmitButton variant="secondary" aria-label={`Save mapping of ${props.domain}`}>
        Save
      </SubmitButton>
    </TenantForm>
  );
}

export function RemoveMappingForm({
  tenantId,
  mappingId,
  domain,
}: {
  tenantId: string;
  mappingId: string;
  domain: string;
}) {
  return (
    <TenantActionButton
      action={removeMappingAction}
      tenantId={tenantId}
      hiddenFields={{ mappingId }}
      variant="danger"
      buttonProps={{ "aria-label": `Remove mapping of ${domain}` }}
      confirm={{
        title: `Remove the mapping of ${domain}?`,
        description:
          "New people from this domain no longer join through single sign-on, and members who have a password may use it again. Existing members keep their access and role.",
        confirmLabel: "Remove mapping",
      }}
    >
      Remove
    </TenantActionButton>
  );
}
