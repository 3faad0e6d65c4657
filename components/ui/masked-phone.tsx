import { maskPhone } from "@/lib/shared/phone";

/** A phone number as its last two digits only (see lib/shared/phone.ts). */
export function MaskedPhone({
  value,
  fallback = "—",
}: {
  /** An E.164 number or its stored last two digits. */
  value: string | null | undefined;
  fallback?: string;
}) {
  if (!value) return <>{fallback}</>;
  return (
    <span className="font-mono whitespace-nowrap" title="Only the last two digits are kept">
      {maskPhone(value)}
    </span>
  );
}
