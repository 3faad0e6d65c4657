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
  "auth.sso_sign_in": "A member signed in through single sign-on (the issuer is in the details)",
  "auth.sso_refused":
    "A single sign-on was refused (no mapping, unverified e-mail, or another tenant's domain)",
  "auth.password_refused_sso":
    "A password sign-in was refused because the member must use single sign-on",
  "auth.mfa_enrolled": "A member added a second factor (passkey or authenticator app)",
  "auth.mfa_removed": "A member removed a second factor",
  "auth.mfa_failed": "A second-factor code, recovery code or passkey was refused",
  "auth.mfa_verified": "A member completed sign-in with their second factor",
  "auth.recovery_codes_generated": "A member generated new recovery codes (old ones stop working)",
  "auth.recovery_code_used": "A member signed in with a one-time recovery code",
  "auth.step_up": "A member confirmed a sensitive action with a recent second factor or password",
  "auth.password_changed": "A member changed their password",
  "auth.password_reset_requested": "A password reset link was requested or issued",
  "auth.password_reset": "A member set a new password through a reset link (every session ended)",
  "auth.session_revoked": "A session was ended by its member or by an owner",
  "auth.unlocked": "An owner unlocked a member's account after failed sign-ins",
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
  "vault.verified": "A sealed credential was checked with Twilio (failed: Twilio refused it)",
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
  "proxy.lookup_number": "A number's line type was looked up through the proxy (Lookup v2)",
  "proxy.denied": "A proxy request was refused by policy",
  "proxy.pumping_suspected":
    "Few verifications to a destination country were approved (suspected SMS pumping)",
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
  "settings.mfa_policy_changed":
    "An owner required or stopped requiring a second factor for every member",
  "sso.mapping_changed": "An owner added, changed or removed a single sign-on domain mapping",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];
