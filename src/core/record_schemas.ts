/**
 * The stored records as zod schemas: the provider registrations in oauth2/app
 * data, the user summary in oauth2/user and the sealed token record in the
 * user's KV. Each gives the TypeScript type and the check applied when read;
 * unknown keys pass through, so a newer App's records survive an older one.
 */
import { z } from 'zod';

export const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

const PRESETS = ['github', 'gitlab', 'google', 'microsoft', 'mattermost', 'oidc', 'oauth2'] as const;

/** What a provider record must hold for the engine to use it; the rest is typed by StoredProvider. */
export const ProviderRecord = z.looseObject({
  id: z.string().regex(PROVIDER_ID),
  display_name: z.string(),
  preset: z.enum(PRESETS),
  client_id: z.string(),
  scopes: z.array(z.string()),
  sealed_secret: z.string().optional(),
  issuer: z.string().optional(),
  base_url: z.string().optional(),
  tenant: z.string().optional(),
  params: z.record(z.string(), z.string()).optional(),
});

/*
 * ProviderRecord's rules by hand, for the hot path (every bindings call checks
 * every provider, and zod copies each record only for readProviders to drop
 * the copy). True only when ProviderRecord accepts the value; false means
 * "ask ProviderRecord". test/unit/app/call_body_check.test.ts holds the two together.
 */
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const PRESET_SET: ReadonlySet<unknown> = new Set(PRESETS);
const OPTIONAL_TEXT = ['sealed_secret', 'issuer', 'base_url', 'tenant'] as const;
const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');

export function passesProviderRecord(p: unknown): boolean {
  return (
    isPlainObject(p) &&
    typeof p.id === 'string' &&
    PROVIDER_ID.test(p.id) &&
    typeof p.display_name === 'string' &&
    PRESET_SET.has(p.preset) &&
    typeof p.client_id === 'string' &&
    isStringList(p.scopes) &&
    OPTIONAL_TEXT.every((k) => p[k] === undefined || typeof p[k] === 'string') &&
    (p.params === undefined || (isPlainObject(p.params) && Object.values(p.params).every((v) => typeof v === 'string')))
  );
}

export const Connection = z.looseObject({
  /** The account at the provider, for display. */
  label: z.string(),
  /** The provider's stable subject id: a reconnect must return the same one. */
  sub: z.string(),
  /** Epoch ms of the (re)connection. */
  since: z.number(),
  /** Epoch ms when the access token expires, when known. */
  expires_at: z.number().optional(),
  /** Set when the token can no longer be used: why, for the user. */
  broken: z.string().optional(),
});
export type Connection = z.output<typeof Connection>;

/** A connect flow started at /oauth2/connect, keyed by a hash of the state. */
export const PendingFlow = z.object({
  /** base64url SHA-256 of the state (the state itself is not kept). */
  h: z.string(),
  /** Provider id. */
  p: z.string(),
  /** Epoch ms when the flow started. */
  at: z.number(),
});
export type PendingFlow = z.output<typeof PendingFlow>;

/** The provider chosen by the last connect command, waiting for connect_url. */
export const PendingConnect = z.object({ p: z.string(), at: z.number() });

/** The sealed token set in the user's KV (the format of `s` is the cipher's to check). */
export const SealedRecord = z.object({ v: z.literal(1), s: z.string() });
export type SealedRecord = z.output<typeof SealedRecord>;
