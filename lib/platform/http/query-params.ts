/** Query-string parameters as a plain object (last value wins). */
export function queryParams(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}
