/**
 * Puts what was submitted back into a form that React reset after its action, so a refused
 * submit keeps every typed value (text, selects, ticked boxes). Hidden inputs belong to the
 * form, not to the person; a one-time code and the current password are not put back (they are
 * typed afresh after a refusal, as every sign-in form does); file inputs cannot be set.
 */
export function restoreFormValues(form: HTMLFormElement, data: FormData): void {
  for (const element of Array.from(form.elements)) {
    if (
      element instanceof HTMLInputElement ||
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement
    ) {
      restoreControl(element, data);
    }
  }
}

const NOT_RESTORED_AUTOCOMPLETE = new Set(["one-time-code", "current-password"]);

function restoreControl(
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  data: FormData,
): void {
  const name = control.name;
  if (!name || control.disabled) return;
  if (NOT_RESTORED_AUTOCOMPLETE.has(control.autocomplete)) return;
  const values = data.getAll(name).filter((v): v is string => typeof v === "string");
  if (control instanceof HTMLSelectElement) {
    for (const option of Array.from(control.options))
      option.selected = values.includes(option.value);
    return;
  }
  if (control instanceof HTMLInputElement) {
    if (control.type === "hidden" || control.type === "file") return;
    if (control.type === "checkbox" || control.type === "radio") {
      control.checked = values.includes(control.value);
      return;
    }
  }
  // Several controls of one name (rare for text) take the submitted values in order.
  const same = Array.from(control.form?.elements ?? []).filter(
    (e) => (e as HTMLInputElement).name === name,
  );
  const value = values[Math.max(0, same.indexOf(control))];
  if (value !== undefined) control.value = value;
}
