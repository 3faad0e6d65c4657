/**
 * Full phone numbers never reach a page: they are shown as their last two digits, which is all
 * the audit log keeps of a destination. Accepts an E.164 number or the stored last digits.
 */
export function maskPhone(value: string): string {
  return `••••${value.replace(/\D/g, "").slice(-2)}`;
}
