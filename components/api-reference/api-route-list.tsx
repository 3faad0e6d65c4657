import { API_ROUTES, type ApiRouteAuth } from "@/lib/shared/api-routes";

function AuthLabel({ auth }: { auth: ApiRouteAuth }) {
  if (auth === "any_key") return <>any API key of the tenant</>;
  if (auth === "twilio_signature") return <>Twilio&apos;s request signature (no API key)</>;
  return (
    <>
      API key with scope <code className="font-mono">{auth}</code>
    </>
  );
}

/** Every /api/v2 route: method, path, what authorises it, and what it is for. */
export function ApiRouteList() {
  return (
    <ul className="divide-y divide-slate-200" aria-label="API routes">
      {API_ROUTES.map((route) => (
        <li key={`${route.method} ${route.path}`} className="py-3" data-testid="api-route">
          <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
            <span className="w-16 shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-center font-mono text-xs font-semibold text-slate-800">
              {route.method}
            </span>
            <code className="min-w-0 font-mono text-sm break-all text-slate-900">{route.path}</code>
          </p>
          <p className="mt-1 text-sm text-slate-700">{route.purpose}</p>
          <p className="mt-1 text-xs text-slate-600">
            Authorised by: <AuthLabel auth={route.auth} />
          </p>
        </li>
      ))}
    </ul>
  );
}
