// Headers every response carries. The Content-Security-Policy needs a per-request nonce,
// so it is set in proxy.ts; these are the static ones.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // A self-contained server in .next/standalone (server.js + the node_modules it needs);
  // tools/serve/start.mjs adds the static assets, migrations and the worker to it.
  output: "standalone",
  // liboqs-js loads each algorithm's WebAssembly module by a computed path, which tracing cannot
  // follow: without these the bundle would silently fall back to the slower noble backend.
  outputFileTracingIncludes: {
    "/**": [
      "./node_modules/@oqs/liboqs-js/dist/ml-kem-768.min.js",
      "./node_modules/@oqs/liboqs-js/dist/ml-dsa-65.min.js",
    ],
  },
  reactStrictMode: true,
  // forbidden() in lib/platform/request-context/tenant-page.ts renders app/forbidden.tsx with a 403.
  experimental: { authInterrupts: true },
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@oqs/liboqs-js", "pino", "postgres"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
