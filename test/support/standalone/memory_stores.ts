/**
 * In-memory implementations of the standalone host's ports, for tests. They
 * keep the ports' contracts (take is atomic and single use, expired records
 * and sessions are not returned, tokens cross in plaintext) so tests can
 * assert what was stored.
 */
import type { ConnectionRepository, ConnectionRow, ProviderRepository, ProviderUsers } from '../../../src/core/ports.js';
import type {
  BrowserSession,
  CommandAdmission,
  Installation,
  InstallationStore,
  OneTimePurpose,
  OneTimeRecord,
  OneTimeStore,
  SessionStore,
  TeamCommand,
} from '../../../src/hosts/standalone/ports.js';
import type { TokenSet } from '../../../packages/engine/src/types.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import type { Connection } from '../../../src/hosts/apps/store/user_state.js';

export class MemoryProviders implements ProviderRepository {
  readonly rows = new Map<string, StoredProvider>();
  async list() {
    return [...this.rows.values()];
  }
  async get(id: string) {
    return this.rows.get(id);
  }
  async save(provider: StoredProvider) {
    this.rows.set(provider.id, provider);
  }
  async remove(id: string) {
    return this.rows.delete(id);
  }
}

export class MemoryConnections implements ConnectionRepository {
  readonly rows = new Map<string, ConnectionRow>();
  private key = (u: string, p: string) => `${u}\0${p}`;
  async summaries(userId: string): Promise<Record<string, Connection>> {
    return Object.fromEntries([...this.rows.values()].filter((r) => r.user_id === userId).map((r) => [r.provider_id, r.connection]));
  }
  async get(userId: string, providerId: string) {
    return this.rows.get(this.key(userId, providerId));
  }
  async save(row: ConnectionRow) {
    this.rows.set(this.key(row.user_id, row.provider_id), structuredClone(row));
  }
  async saveTokens(userId: string, providerId: string, tokens: TokenSet) {
    const row = this.rows.get(this.key(userId, providerId));
    if (!row) return false;
    row.tokens = tokens;
    return true;
  }
  async markBroken(userId: string, providerId: string, reason: string) {
    const row = this.rows.get(this.key(userId, providerId));
    if (row) row.connection = { ...row.connection, broken: reason };
  }
  async delete(userId: string, providerId: string) {
    return { deleted: this.rows.delete(this.key(userId, providerId)), endedGrants: [] };
  }
  async report() {
    const out: Record<string, ProviderUsers> = {};
    for (const r of this.rows.values()) {
      const entry = (out[r.provider_id] ??= { connected: [], broken: [] });
      (r.connection.broken ? entry.broken : entry.connected).push(r.user_id);
    }
    return out;
  }
  async withLock<T>(_userId: string, _providerId: string, fn: () => Promise<T>) {
    return fn();
  }
}

export class MemoryInstallation implements InstallationStore {
  installation: Installation | undefined;
  readonly commands = new Map<string, TeamCommand>();
  async getInstallation() {
    return this.installation;
  }
  async saveInstallation(installation: Installation) {
    this.installation = installation;
  }
  async deleteInstallation() {
    this.installation = undefined;
  }
  async listCommands() {
    return [...this.commands.values()];
  }
  async commandForTeam(teamId: string) {
    return this.commands.get(teamId);
  }
  async saveCommand(command: TeamCommand) {
    this.commands.set(command.team_id, command);
  }
  async deleteCommand(teamId: string) {
    this.commands.delete(teamId);
  }
}

export class MemorySessions implements SessionStore {
  readonly rows = new Map<string, BrowserSession>();
  async create(session: BrowserSession) {
    this.rows.set(session.id_hash, session);
  }
  async get(idHash: string, now: number) {
    const s = this.rows.get(idHash);
    return s && s.expires_at > now ? s : undefined;
  }
  async delete(idHash: string) {
    this.rows.delete(idHash);
  }
  async prune(now: number) {
    let n = 0;
    for (const [k, s] of this.rows) if (s.expires_at <= now && this.rows.delete(k)) n++;
    return n;
  }
}

export class MemoryOneTime implements OneTimeStore {
  readonly rows = new Map<string, OneTimeRecord>();
  async put(record: OneTimeRecord) {
    this.rows.set(record.key_hash, record);
  }
  async take(keyHash: string, purpose: OneTimePurpose, now: number) {
    const r = this.rows.get(keyHash);
    if (!r || r.purpose !== purpose) return undefined;
    this.rows.delete(keyHash);
    return r.expires_at > now ? r : undefined;
  }
  /** Claimed trigger ids apart from the rows, so tests that count what a request stored see only links, states, flows and dialogs. */
  readonly claimed = new Map<string, OneTimeRecord>();
  async claim(record: OneTimeRecord) {
    const rows = record.purpose === 'trigger' ? this.claimed : this.rows;
    if (rows.has(record.key_hash)) return false;
    rows.set(record.key_hash, record);
    return true;
  }
  async holds(keyHash: string, purpose: OneTimePurpose, now: number) {
    const r = this.rows.get(keyHash);
    return r !== undefined && r.purpose === purpose && r.expires_at > now;
  }
  async prune(now: number) {
    let n = 0;
    for (const [k, r] of this.rows) if (r.expires_at <= now && this.rows.delete(k)) n++;
    return n;
  }
}

/** The token check and the trigger's record as the SQL stores do them: nothing is stored for a wrong token. */
export class MemoryAdmission implements CommandAdmission {
  constructor(
    private readonly installation: MemoryInstallation,
    private readonly oneTime: MemoryOneTime,
  ) {}
  async admit(teamId: string, tokenHash: string, trigger: OneTimeRecord) {
    const storedHash = (await this.installation.commandForTeam(teamId))?.token_hash;
    return { storedHash, claimed: storedHash === tokenHash && tokenHash !== '' && (await this.oneTime.claim(trigger)) };
  }
}

export interface MemoryStores {
  providers: MemoryProviders;
  connections: MemoryConnections;
  installation: MemoryInstallation;
  sessions: MemorySessions;
  oneTime: MemoryOneTime;
  admission: MemoryAdmission;
}

export function createMemoryStores(): MemoryStores {
  const installation = new MemoryInstallation();
  const oneTime = new MemoryOneTime();
  return {
    providers: new MemoryProviders(),
    connections: new MemoryConnections(),
    installation,
    sessions: new MemorySessions(),
    oneTime,
    admission: new MemoryAdmission(installation, oneTime),
  };
}
