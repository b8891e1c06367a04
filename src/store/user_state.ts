/**
 * The per-user summary kept in oauth2/user. The plugin expands it into every
 * call that asks for oauth2_user, so bindings, connect and complete read it
 * with no round trip. It holds no token: tokens live in the user's KV.
 */
export interface Connection {
  /** The account at the provider, for display. */
  label: string;
  /** The provider's stable subject id: a reconnect must return the same one. */
  sub: string;
  /** Epoch ms of the (re)connection. */
  since: number;
  /** Epoch ms when the access token expires, when known. */
  expires_at?: number;
  /** Set when the token can no longer be used: why, for the user. */
  broken?: string;
}

/** A connect flow started at /oauth2/connect, keyed by a hash of the state. */
export interface PendingFlow {
  /** base64url SHA-256 of the state (the state itself is not kept). */
  h: string;
  /** Provider id. */
  p: string;
  /** Epoch ms when the flow started. */
  at: number;
}

export interface UserState {
  v: 1;
  connections: Record<string, Connection>;
  /** The provider chosen by the last connect command, waiting for connect_url. */
  pending?: { p: string; at: number };
  flows: PendingFlow[];
  /** Cached id of the bot's DM channel with this user. */
  dm?: string;
}

export const FLOW_TTL_MS = 15 * 60 * 1000;
/** Abandoned flows are pruned on each write, so at most this many are ever kept. */
export const MAX_FLOWS = 5;

export function emptyUserState(): UserState {
  return { v: 1, connections: {}, flows: [] };
}

function isConnection(c: unknown): c is Connection {
  const r = c as Record<string, unknown>;
  return typeof c === 'object' && c !== null && typeof r.label === 'string' && typeof r.sub === 'string' && typeof r.since === 'number';
}

/** Reads context.oauth2.user; anything malformed becomes an empty state, never an exception. */
export function readUserState(raw: unknown): UserState {
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return emptyUserState();
  const r = raw as Record<string, unknown>;
  const connections: Record<string, Connection> = {};
  if (typeof r.connections === 'object' && r.connections !== null) {
    for (const [id, c] of Object.entries(r.connections)) if (isConnection(c)) connections[id] = c;
  }
  const flows = Array.isArray(r.flows)
    ? r.flows.filter((f): f is PendingFlow => typeof f?.h === 'string' && typeof f?.p === 'string' && typeof f?.at === 'number')
    : [];
  const pending = r.pending as UserState['pending'];
  return {
    v: 1,
    connections,
    flows,
    ...(typeof pending?.p === 'string' && typeof pending.at === 'number' && { pending: { p: pending.p, at: pending.at } }),
    ...(typeof r.dm === 'string' && { dm: r.dm }),
  };
}

/** Flows younger than the TTL, newest last, at most MAX_FLOWS. */
export function liveFlows(flows: PendingFlow[], now: number): PendingFlow[] {
  return flows.filter((f) => now - f.at < FLOW_TTL_MS && f.at <= now + 60_000).slice(-MAX_FLOWS);
}
