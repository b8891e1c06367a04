/**
 * Who is calling the token API: the client whose credential the request
 * carries (`Authorization: Bearer o2c_…`, or Basic with the client id as the
 * user name), from an address its sources allow, within its rate. Only the
 * credential's hash is looked up; the hashes are compared in constant time.
 */
import type { IncomingMessage } from 'node:http';
import { fromAllowedSource } from '../../../util/address_sources.js';
import { CREDENTIAL_SHAPE, credentialHash, sameHash } from '../../../core/token_api/credential.js';
import type { TokenClient, TokenClientStore } from '../../../core/token_api/types.js';
import { TokenApiError } from './api_error.js';
import type { RateDecision, TokenApi } from '../deps.js';

interface Presented {
  credential: string;
  /** The Basic user name, when the credential came that way: it must be the client's id. */
  clientId?: string;
}

function presented(header: string | undefined): Presented | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer ([^\s]+)$/i.exec(header);
  if (bearer) return { credential: bearer[1] ?? '' };
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decodeURIComponent(decoded.slice(0, colon)), credential: decodeURIComponent(decoded.slice(colon + 1)) };
}

const INVALID = 'The client credential is missing, unknown, replaced or revoked.';

export interface ClientCheckDeps {
  clients: TokenClientStore;
  limiter: TokenApi['limiter'];
  now(): number;
}

/** The credential a request presents, by its hash, and the Basic user name when it came that way. */
export interface PresentedCredential {
  hash: string;
  clientId?: string;
}

/** The request's credential, or invalid_client when there is none of the right shape (nothing is read then). */
export function presentedCredential(req: IncomingMessage): PresentedCredential {
  let given: Presented | undefined;
  try {
    given = presented(req.headers.authorization);
  } catch {
    given = undefined;
  }
  if (!given || !CREDENTIAL_SHAPE.test(given.credential)) throw new TokenApiError('invalid_client', INVALID);
  const hash = credentialHash(given.credential);
  return given.clientId === undefined ? { hash } : { hash, clientId: given.clientId };
}

const refused = (client: TokenClient, err: TokenApiError) => Object.assign(err, { clientId: client.id });

/**
 * The client the storage found by the credential's hash, admitted: the hashes equal (compared in constant
 * time), the Basic user name its id, the address one its sources allow, within its rate; else a TokenApiError
 * (invalid_client, rate_limited). At once when the process's own state decides the rate, else once the
 * replicas' shared count was claimed (a storage error then fails the request as any other).
 */
export function admittedClient(
  deps: Omit<ClientCheckDeps, 'clients'>,
  given: PresentedCredential,
  found: { client: TokenClient; hash: string } | undefined,
  address: string | undefined,
): TokenClient | Promise<TokenClient> {
  if (!found || !sameHash(found.hash, given.hash) || (given.clientId !== undefined && given.clientId !== found.client.id))
    throw new TokenApiError('invalid_client', INVALID);
  const client = found.client;
  if (!fromAllowedSource(client.sources, address)) throw refused(client, new TokenApiError('invalid_client', 'This client may not call from this address.'));
  const rate = deps.limiter.take(client.id, client.rate_per_minute, deps.now());
  return rate instanceof Promise ? rate.then((decided) => withinRate(client, decided)) : withinRate(client, rate);
}

function withinRate(client: TokenClient, rate: RateDecision): TokenClient {
  if (!rate.allowed) throw refused(client, new TokenApiError('rate_limited', `At most ${client.rate_per_minute} requests a minute.`, rate.retryAfterSeconds));
  return client;
}

/** The calling client, or a TokenApiError (invalid_client, rate_limited). */
export async function authenticatedClient(deps: ClientCheckDeps, req: IncomingMessage): Promise<TokenClient> {
  const given = presentedCredential(req);
  return admittedClient(deps, given, await deps.clients.byCredentialHash(given.hash), req.socket.remoteAddress);
}
