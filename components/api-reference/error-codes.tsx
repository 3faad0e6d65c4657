import { ERROR_CODES, errorStatus, errorTitle } from "@/lib/platform/errors/app-error";

/**
 * Every stable error code with its HTTP status and title. Each entry is the target of the
 * problem `type` an error answer names (`/api-reference#error-<code>`).
 */
export function ErrorCodeList() {
  return (
    <dl
      className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]"
      aria-label="Error codes"
    >
      {ERROR_CODES.map((code) => (
        <div key={code} className="contents">
          <dt
            id={`error-${code}`}
            className="scroll-mt-4 font-mono break-all text-slate-900 max-sm:mt-2"
          >
            {errorStatus(code)} {code}
          </dt>
          <dd className="text-slate-700">{errorTitle(code)}</dd>
        </div>
      ))}
    </dl>
  );
}
