/**
 * The non-secret fields of a submitted form, echoed back so a form that failed validation
 * keeps what the user typed (React resets forms after an action). Never list passwords here.
 */
export function formValues(formData: FormData, keys: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of keys) {
    const value = formData.get(key);
    if (typeof value === "string") values[key] = value;
  }
  return values;
}
