import { z } from 'zod';

/** Product fields the sync engine merges; conflict rules are keyed by them. */
export const syncedProductFields = ['title', 'description', 'price', 'stock', 'images', 'attributes', 'status'] as const;
export type SyncedProductField = (typeof syncedProductFields)[number];

/**
 * How a field both sides changed is settled: `local` (the hub's catalog wins),
 * `marketplace` (the platform wins), `newest` (latest change by timestamp).
 */
export const conflictRuleValues = ['local', 'marketplace', 'newest'] as const;

/** The integration's `config` JSON: options the engine reads, validated on every write. */
export const integrationConfigSchema = z
  .object({
    conflictPolicy: z.enum(['last_write_wins', 'manual']).default('last_write_wins'),
    conflictRules: z.partialRecord(z.enum(syncedProductFields), z.enum(conflictRuleValues)).default({}),
    /** Complete pulls a product may be missing from before its mapping is marked deleted. */
    deletionMissThreshold: z.number().int().min(1).max(10).default(2),
    /** Largest share of mapped products one job may delete before it stops (blast-radius guard). */
    maxDeletionShare: z.number().min(0).max(1).default(0.1),
    /** Override of the platform's API base URL (sandboxes; local fakes when ALLOW_LOCAL_URLS). */
    apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

export type IntegrationConfig = z.infer<typeof integrationConfigSchema>;

export const syncFrequencySchema = z
  .number()
  .int('expected whole minutes')
  .min(5, 'expected at least 5 minutes')
  .max(10_080, 'expected at most 10080 minutes (one week)');

export const displayNameSchema = z.string().trim().min(1, 'expected a name').max(120, 'expected at most 120 characters');
