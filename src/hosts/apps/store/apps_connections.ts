/**
 * The core's ConnectionRepository over the Apps plugin's stores, built per
 * call: summaries from the expanded oauth2/user (no round trip), tokens in the
 * user's KV (TokenStore, sealed to today's tokenSlot), the report index in
 * the App's KV. One call acts for one user: another user id is refused.
 */
import type { ConnectionRepository, ConnectionRow } from '../../../core/ports.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import type { Connection } from '../../../core/record_schemas.js';
import { storedOrigin, tokenSlot } from '../../../core/seal_slots.js';
import type { AppsPluginClient } from '@oauth2-connect/driver';
import type { TokenSet } from '@oauth2-connect/engine';
import type { ReportIndex } from './report_index.js';
import type { TokenStore } from './token_store.js';
import type { UserState } from './user_state.js';

/**
 * What one call gives the repository. Each is read when first needed: a call
 * may lack a token it does not use, and the refusal names the one it needed.
 */
export interface CallStores {
  /** The call's acting user: the only user the repository answers for. */
  actingUserId(): string;
  /** The registered providers, as the call carries them (oauth2/app). */
  providers(): StoredProvider[];
  /** The acting user's tokens (their KV). */
  tokens(): TokenStore;
  /** Writes the acting user's summary (oauth2/user). */
  user(): Pick<AppsPluginClient, 'storeOAuth2User'>;
  /** The App's bot, whose KV holds the report index. */
  bot(): AppsPluginClient;
  reportIndex: ReportIndex;
  now(): number;
  /** Told after the acting user's connections or tokens changed (a copy to the standalone host is then stale). */
  changed?(userId: string): void;
}

export interface AppsConnections extends ConnectionRepository {
  /** The summary as this call last wrote it (oauth2_complete replaces flows before saving). */
  state: UserState;
}

/** The summary keeps no expiry: the token in the KV has it. */
function summaryEntry(c: Connection): Connection {
  const { expires_at: _expires, ...rest } = c;
  return rest;
}

export function appsConnections(call: CallStores, initial: UserState): AppsConnections {
  const self = () => call.actingUserId();
  const mine = (userId: string) => {
    if (userId !== self()) throw new Error('an Apps call acts for its acting user only');
  };
  const providerOf = (id: string) => call.providers().find((p) => p.id === id);
  const store = () => call.tokens();
  const report = (providerId: string, status: 'connected' | 'broken' | 'removed') => {
    call.changed?.(self());
    call.reportIndex.record(call.bot(), providerId, self(), status);
  };
  const repo: AppsConnections = {
    state: initial,
    async summaries(userId) {
      mine(userId);
      return repo.state.connections;
    },
    async get(userId, providerId): Promise<ConnectionRow | undefined> {
      mine(userId);
      const stored = providerOf(providerId);
      if (!stored) return undefined;
      const tokens = await store().load(providerId, tokenSlot(userId, stored));
      if (!tokens) return undefined;
      const connection = repo.state.connections[providerId] ?? { label: '', sub: '', since: 0 };
      return { user_id: userId, provider_id: providerId, connection, tokens, origin: storedOrigin(stored) };
    },
    async save(row) {
      mine(row.user_id);
      const stored = providerOf(row.provider_id);
      if (!stored) throw new Error(`provider ${row.provider_id} is not registered`);
      const isNew = !repo.state.connections[row.provider_id];
      const tokens = store();
      await tokens.save(row.provider_id, row.tokens, tokenSlot(row.user_id, stored));
      const { pending: _pending, ...rest } = repo.state;
      const next: UserState = { ...rest, connections: { ...rest.connections, [row.provider_id]: summaryEntry(row.connection) } };
      try {
        await call.user().storeOAuth2User(next);
      } catch (err) {
        // A new token without its summary entry is not kept.
        if (isNew) await tokens.delete(row.provider_id).catch(() => undefined);
        throw err;
      }
      repo.state = next;
      report(row.provider_id, 'connected');
    },
    async saveTokens(userId, providerId, tokens: TokenSet) {
      mine(userId);
      const stored = providerOf(providerId);
      if (!stored) return false;
      await store().save(providerId, tokens, tokenSlot(userId, stored));
      call.changed?.(userId);
      return true;
    },
    /** Leaves the provider pending too, so the reconnect link works at once. */
    async markBroken(userId, providerId, reason) {
      mine(userId);
      const connection = repo.state.connections[providerId];
      if (!connection) return;
      const next = {
        ...repo.state,
        connections: { ...repo.state.connections, [providerId]: { ...connection, broken: reason } },
        pending: { p: providerId, at: call.now() },
      };
      await call.user().storeOAuth2User(next);
      repo.state = next;
      report(providerId, 'broken');
    },
    async delete(userId, providerId) {
      mine(userId);
      await store().delete(providerId);
      const { [providerId]: removed, ...connections } = repo.state.connections;
      const next = { ...repo.state, connections };
      await call.user().storeOAuth2User(next);
      repo.state = next;
      report(providerId, 'removed');
      // The Apps host keeps no token API grants (token_api/types.ts): none end here.
      return { deleted: removed !== undefined, endedGrants: [] };
    },
    async report() {
      const bot = call.bot();
      const entries = await Promise.all(call.providers().map(async (p) => [p.id, await call.reportIndex.read(bot, p.id)] as const));
      return Object.fromEntries(entries);
    },
    /** The Apps host runs in one process: the engine's in-process single flight (getFreshToken) is its lock, as before the core. */
    withLock: (_userId, _providerId, fn) => fn(),
  };
  return repo;
}
