/**
 * The service's Prometheus metrics, in a registry of its own per service
 * (tests run several services in one process; prom-client's global registry
 * would mix them). Labels are bounded: hosts, surfaces, outcomes and error
 * kinds are fixed sets, and provider ids are the few an admin registered
 * (past MAX_PROVIDER_LABELS the rest count as "other"). Never a user id, a
 * token or a URL.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type HostLabel = 'apps' | 'standalone';

/** Where a request arrived: a slash command, a dialog or Apps form, a browser page, the webapp panel, a call of the Apps flow. */
export type Surface = 'command' | 'dialog' | 'form' | 'page' | 'panel' | 'lookup' | 'bindings' | 'call' | 'lifecycle' | 'static' | 'other';

/** ok: answered; user_error: the user's input or state was wrong; refused: not authenticated or not allowed; failed: the service failed. */
export type RequestOutcome = 'ok' | 'user_error' | 'refused' | 'failed';

/** Distinct provider label values kept; later ones are counted as "other". */
export const MAX_PROVIDER_LABELS = 100;

const PREFIX = 'oauth2_connect_';
/** From a fast SQLite statement (well under a millisecond) to a slow PostgreSQL one. */
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly providers = new Set<string>();

  readonly requests = new Counter({
    name: `${PREFIX}requests_total`,
    help: 'Requests by host, surface and outcome.',
    labelNames: ['host', 'surface', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly flowsStarted = new Counter({
    name: `${PREFIX}flows_started_total`,
    help: 'Connect flows sent to the provider (an authorization URL was made).',
    labelNames: ['host', 'provider'] as const,
    registers: [this.registry],
  });
  readonly flowsCompleted = new Counter({
    name: `${PREFIX}flows_completed_total`,
    help: 'Connect flows that came back from the provider with tokens and an account.',
    labelNames: ['host', 'provider'] as const,
    registers: [this.registry],
  });
  readonly connects = new Counter({
    name: `${PREFIX}connects_total`,
    help: "Ends of connect flows (the code exchange) by provider and outcome: success or the error's kind.",
    labelNames: ['host', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly refreshes = new Counter({
    name: `${PREFIX}refreshes_total`,
    help: "Token refreshes by provider and outcome: success or the error's kind.",
    labelNames: ['host', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly revocations = new Counter({
    name: `${PREFIX}revocations_total`,
    help: 'Token revocations at the provider by outcome: revoked, unsupported (no endpoint) or failed.',
    labelNames: ['host', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly keepAlive = new Counter({
    name: `${PREFIX}keep_alive_connections_total`,
    help: 'Idle connections the keep-alive pass handled, by outcome: refreshed, failed_for_good (marked broken, user told), failed_for_now, skipped.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly providerErrors = new Counter({
    name: `${PREFIX}provider_errors_total`,
    help: 'Failed requests to providers by kind (invalid_grant, invalid_client, provider_unavailable, ...) and operation.',
    labelNames: ['host', 'provider', 'kind', 'operation'] as const,
    registers: [this.registry],
  });
  readonly databaseQueries = new Histogram({
    name: `${PREFIX}database_query_duration_seconds`,
    help: "The standalone host's database statements, by storage and outcome.",
    labelNames: ['storage', 'outcome'] as const,
    buckets: DB_BUCKETS,
    registers: [this.registry],
  });
  readonly mattermostRequests = new Histogram({
    name: `${PREFIX}mattermost_request_duration_seconds`,
    help: 'Requests to the Mattermost server (REST, the Apps plugin) by host and outcome.',
    labelNames: ['host', 'outcome'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // Memory, CPU, event loop lag and handles of this process, under the same prefix.
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** The provider's id as a label: the ones admins registered, bounded. */
  provider(id: string): string {
    if (this.providers.has(id)) return id;
    if (this.providers.size >= MAX_PROVIDER_LABELS || !/^[a-z0-9-]{1,32}$/.test(id)) return 'other';
    this.providers.add(id);
    return id;
  }

  request(host: HostLabel, surface: Surface, outcome: RequestOutcome): void {
    this.requests.inc({ host, surface, outcome });
  }

  /** The exposition text and its content type, for GET /metrics. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/** Seconds since `startedMs` (performance.now()), for a histogram. */
export const secondsSince = (startedMs: number): number => (performance.now() - startedMs) / 1000;
