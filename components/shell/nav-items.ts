import type { Permission } from "@/lib/platform/request-context/permissions";

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "", label: "Dashboard", permission: "tenant:read" },
  { href: "/vault", label: "Vault", permission: "tenant:read" },
  { href: "/integrations", label: "Integrations", permission: "tenant:read" },
  { href: "/api-keys", label: "API keys", permission: "tenant:read" },
  { href: "/webhooks", label: "Webhooks", permission: "tenant:read" },
  { href: "/audit", label: "Audit log", permission: "audit:read" },
  { href: "/console", label: "Test console", permission: "console:use" },
  { href: "/members", label: "Members", permission: "tenant:read" },
  { href: "/settings", label: "Settings", permission: "tenant:read" },
];
