/**
 * The per-user summary kept in oauth2/user. The plugin expands it into every
 * call that asks for oauth2_user, so bindings, connect and complete read it
 * with no round trip. It holds no token: tokens live in the user's KV.
 */
import type { z } from 'zod';
import { Connection, PendingConnect, PendingFlow } from '../../../core/record_schemas.js';
import { FLOW_TTL_MS } from '../../../core/connect_flow.js';
export type { Connection, PendingFlow };

export interface UserState {
  v: 1;
  connections: Record<string, Connection>;
  /** The provider chosen by the last connect command, waiting for connect_url. */
  pending?: { p: string; at: number };
  flows: PendingFlow[];
  /** Cached id of the bot's DM channel with this user. */
  dm?: string;
}

/** Abandoned flows are pruned on each write, so at most this many are ever kept. */
export const MAX_FLOWS = 5;

export function emptyUserState(): UserState {
  return { v: 1, connections: {}, flows: [] };
}

/** The entries of `list` that match `schema`; the others are left out. */
function valid<T>(schema: z.ZodType<T>, list: unknown[]): T[] {
  return list.flatMap((item) => {
    const result = schema.safeParse(item);
    return result.success ? [result.data] : [];
  });
}

/** Reads context.oauth2.user; malformed entries are left out, and a malformed summary becomes an empty state, never an exception. */
export function readUserState(raw: unknown): UserState {
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return emptyUserState();
  const r = raw as Record<string, unknown>;
  const connections: Record<string, Connection> = {};
  if (typeof r.connections === 'object' && r.connections !== null) {
    for (const [id, c] of Object.entries(r.connections)) {
      const result = Connection.safeParse(c);
      if (result.success) connections[id] = result.data;
    }
  }
  // Most summaries have no pending connect: a failed safeParse builds an error, so skip it.
  const pending = r.pending === undefined ? undefined : PendingConnect.safeParse(r.pending);
  return {
    v: 1,
    connections,
    flows: Array.isArray(r.flows) ? valid(PendingFlow, r.flows) : [],
    ...(pending?.success && { pending: pending.data }),
    ...(typeof r.dm === 'string' && { dm: r.dm }),
  };
}

/** Flows younger than the TTL, newest last, at most MAX_FLOWS. */
export function liveFlows(flows: PendingFlow[], now: number): PendingFlow[] {
  return flows.filter((f) => now - f.at < FLOW_TTL_MS && f.at <= now + 60_000).slice(-MAX_FLOWS);
}
