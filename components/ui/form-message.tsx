export function FormMessage({
  message,
  ok,
}: {
  message?: string | undefined;
  ok?: boolean | undefined;
}) {
  if (!message) return null;
  return (
    <p
      role={ok ? "status" : "alert"}
      className={`rounded-md px-3 py-2 text-sm ${ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-700"}`}
    >
      {message}
    </p>
  );
}
