import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "PQSeal",
  description: "Post-quantum credential vault and policy proxy for Twilio",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page is rendered per request: pages read the session, and the CSP nonce is per request.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
