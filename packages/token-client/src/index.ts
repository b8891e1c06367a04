/**
 * A typed client of OAuth2 Connect's token API, for TypeScript integrations
 * (bots, plugins' servers, AI agents): `import { TokenApiClient } from
 * '@oauth2-connect/token-client'`. It needs nothing but `fetch` (Node 18+,
 * Deno, Bun, browsers' workers). The package's README and docs/token-api.md
 * of the OAuth2 Connect repository have the protocol and an example bot.
 *
 *   const api = new TokenApiClient({ baseUrl: 'https://oauth2.example.com', credential: process.env.OAUTH2_CONNECT_CREDENTIAL! });
 *   try {
 *     const { access_token } = await api.getToken(userId, 'github');
 *   } catch (err) {
 *     if (err instanceof TokenApiError && err.code === 'consent_required') await api.requestConsent(userId, 'github');
 *   }
 */
import { isTokenApiErrorCode, TOKEN_API_ERRORS, type TokenApiErrorCode } from './errors.js';

export { TOKEN_API_ERRORS, type TokenApiErrorCode };

export interface TokenApiClientOptions {
  /** The service's root URL (APP_ROOT_URL), e.g. https://oauth2.example.com. */
  baseUrl: string;
  /** The client credential an admin registered (`o2c_…`). Keep it in a secret store, never in code. */
  credential: string;
  /** Default: globalThis.fetch. */
  fetch?: typeof fetch;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

export interface AccessToken {
  access_token: string;
  /** Usually "Bearer". */
  token_type: string;
  /** Epoch seconds; null when the provider gave no expiry. */
  expires_at: number | null;
  /** Space-separated scopes the token carries. */
  scope: string;
}

export interface PromptResult {
  /** granted / connected: nothing to ask; requested: the user was sent a DM; pending: one was sent a few minutes ago. */
  status: 'granted' | 'connected' | 'requested' | 'pending';
}

/** A refusal of the token API, by its stable code. */
export class TokenApiError extends Error {
  constructor(
    readonly code: TokenApiErrorCode,
    readonly status: number,
    description: string,
    /** For rate_limited: the seconds to wait (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${code}: ${description}`);
    this.name = 'TokenApiError';
  }
}

export class TokenApiClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: TokenApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The user's access token at the provider (refreshed by the service first when it is about to expire). */
  getToken(userId: string, provider: string, options: { scope?: string } = {}): Promise<AccessToken> {
    return this.post<AccessToken>('/api/v1/token', { user_id: userId, provider, ...(options.scope && { scope: options.scope }) });
  }

  /** Asks the service to DM the user a consent request (Allow / Deny) naming this client, the provider and the scopes. */
  requestConsent(userId: string, provider: string): Promise<PromptResult> {
    return this.post<PromptResult>('/api/v1/consent-request', { user_id: userId, provider });
  }

  /** Asks the service to DM the user a link to connect (or reconnect) their account at the provider. */
  requestConnect(userId: string, provider: string): Promise<PromptResult> {
    return this.post<PromptResult>('/api/v1/connect-request', { user_id: userId, provider });
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const res = await this.fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.credential}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const answer: unknown = await res.json().catch(() => undefined);
    if (res.ok) return answer as T;
    const { error, error_description } = (answer ?? {}) as { error?: unknown; error_description?: unknown };
    const code = isTokenApiErrorCode(error) ? error : 'server_error';
    const retry = Number(res.headers.get('retry-after'));
    const description = typeof error_description === 'string' ? error_description : `HTTP ${res.status}`;
    throw new TokenApiError(code, res.status, description, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
}
