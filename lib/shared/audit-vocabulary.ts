/** How an audited action ended. */
export const AUDIT_OUTCOMES = ["allowed", "denied", "failed", "succeeded"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

// The fixed vocabulary of audit actions. Adding one is a deliberate change: compliance staff
// filter by these names, and README.md documents them.
const AUDIT_ACTIONS = {
  "auth.sign_in": "A member signed in to the console",
  "auth.sign_in_failed": "A sign-in with a member's e-mail failed (wrong password or locked)",
  "auth.locked": "Five failed sign-ins locked a member's account for 15 minutes",
  "auth.sign_out": "A member signed out",
  "access.denied": "A member tried something their role does not allow",
  "tenant.created": "A tenant was created",
  "member.invited": "An invite link was created",
  "member.invite_revoked": "An invite link was revoked",
  "member.joined": "Someone joined the tenant through an invite",
  "member.role_changed": "A member's role was changed",
  "member.removed": "A member was removed",
  "api_key.created": "An API key was created",
  "api_key.revoked": "An API key was revoked",
  "api_key.denied": "An API key was refused (wrong scope)",
  "api_key.address_refused": "An API key was used from an address outside its allow-list",
  "api_key.rate_limited": "An API key went over its own request rate",
  "api_key.rolled": "An API key was rolled to a new secret",
  "api_key.updated": "An API key's allowed addresses or limits were changed",
  "vault.sealed": "A credential was sealed into the vault",
  "vault.unsealed": "A sealed credential was unsealed for use",
  "vault.rotated": "A credential was rotated to new values (new version)",
  "vault.revoked": "A credential was deleted from the vault",
  "vault.rewrapped": "Sealed data was moved to the newest vault key and current KMS",
  "key.created": "A tenant key pair (signing or vault) was generated",
  "key.rotated": "A tenant key pair was rotated to a new version",
  "client_key.registered": "A client's ML-KEM-768 public key was registered",
  "integration.created": "An integration was created",
  "integration.updated": "An integration was changed",
  "integration.deleted": "An integration was deleted",
  "proxy.send_sms": "An SMS was sent through the proxy",
  "proxy.make_call": "A call was placed through the proxy",
  "proxy.create_verification": "A verification was started through the proxy",
  "proxy.check_verification": "A verification code was checked through the proxy",
  "proxy.fetch_verification": "A verification was looked up through the proxy",
  "proxy.cancel_verification": "A verification was canceled through the proxy",
  "proxy.list_messages": "Messages were listed through the proxy",
  "proxy.denied": "A proxy request was refused by policy",
  "proxy.rate_limited": "A proxy request was refused by a rate limit or cooldown",
  "webhook.received": "A Twilio webhook was accepted",
  "webhook.rejected": "A webhook was refused (intake credentials, signature or body)",
  "webhook.forward_disabled":
    "Forwarding to an integration's endpoint stopped (410 Gone, or failing for too long)",
  "webhook.forward_enabled": "Forwarding to an integration's endpoint was re-enabled",
  "audit.exported": "The audit log was exported",
  "audit.verified": "The audit chain was verified",
  "audit.checkpoint_signed": "The audit chain head was signed",
  "audit.purged": "Events past the retention period were purged",
  "settings.updated": "Tenant settings were changed",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];
