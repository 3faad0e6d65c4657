import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { SkipLink } from "@/components/ui/skip-link";
import "./globals.css";

// The favicon (app/favicon.ico) and the icon (app/icon.svg) are linked by Next.js's file conventions.
export const metadata: Metadata = {
  title: { template: "%s · PQSeal", default: "PQSeal" },
  description: "Post-quantum credential vault and policy proxy for Twilio",
};

// Light and dark follow the system setting (app/globals.css); the browser's own UI follows too.
export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#0b1120" },
  ],
};

// Every page is rendered per request: pages read the session, and the CSP nonce is per request.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SkipLink />
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
