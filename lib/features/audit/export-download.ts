// How the console knows an export it asked for has started downloading. A download link
// cannot see its response, so the link carries a random token and the response sets a
// short-lived cookie holding it: the page shows "Preparing…" (the checkpoint is signed and
// the export recorded before the first byte) until the cookie appears. The token is no secret.

export const EXPORT_TOKEN_PARAM = "download_token";
export const EXPORT_COOKIE = "pqseal_export_started";

const TOKEN = /^[A-Za-z0-9_-]{8,64}$/;

export const isDownloadToken = (value: unknown): value is string =>
  typeof value === "string" && TOKEN.test(value);

/**
 * The Set-Cookie value telling the page which download started: readable by the page (so not
 * HttpOnly), sent only to the tenant pages, and Secure whenever the console is served over https.
 */
export const exportStartedCookie = (token: string, secure: boolean) =>
  `${EXPORT_COOKIE}=${token}; Path=/t/; Max-Age=120; SameSite=Strict${secure ? "; Secure" : ""}`;
