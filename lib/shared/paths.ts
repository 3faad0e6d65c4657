// Console paths named in more than one place.

/** Where a member without a second factor is sent when a tenant requires one. */
export const MFA_ENROL_PATH = "/account/security?required=1";

/** The second step of a password or single sign-on; it forwards members without a second factor. */
export const SECOND_FACTOR_PATH = "/sign-in/verify";
