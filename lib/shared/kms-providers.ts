/** Where a tenant's secrets are wrapped (Settings -> Key management). */
export const KMS_PROVIDERS = ["local", "aws-kms"] as const;
export type KmsProvider = (typeof KMS_PROVIDERS)[number];
