"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";

/** Recovery codes shown once, right after they were made; "Done" refreshes the page. */
export function NewRecoveryCodes({ codes }: { codes: string[] }) {
  const router = useRouter();
  return (
    <div role="status" className="mt-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
      <p className="font-medium">Your recovery codes (shown only now)</p>
      <p className="mt-1">
        Keep them somewhere safe, away from your authenticator. Each code signs you in once if you
        lose your passkey or app.
      </p>
      <ul
        data-testid="recovery-codes"
        aria-label="Recovery codes"
        className="mt-2 grid grid-cols-2 gap-1 font-mono"
      >
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <Button type="button" className="mt-3" onClick={() => router.refresh()}>
        Done
      </Button>
    </div>
  );
}
