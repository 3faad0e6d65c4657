export * from "./tenants";
export * from "./users";
export * from "./memberships";
export * from "./invites";
export * from "./user-sessions";
export * from "./sign-in-throttles";
