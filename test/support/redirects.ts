/** The per-provider redirect URIs a test provider registers (the App sends complete_url?provider=<id>). */
import { providerRedirectUri } from '../../src/hosts/apps/calls/redirect_uri.js';

/** Every provider id the scenario and security suites register (github: the token API examples' provider; the to-* ones: one per endpoint test/scenarios/endpoint_moves.test.ts moves). */
export const TEST_PROVIDER_IDS = [
  'idp',
  'idp2',
  'github',
  'pub',
  'post',
  'wrong',
  'bad',
  'moved',
  'to-authorize',
  'to-token',
  'to-userinfo',
  'to-revoke',
  'to-register',
  'to-par',
  'to-introspect',
];

export function providerRedirects(completeUrl: string, ids: string[] = TEST_PROVIDER_IDS): string[] {
  return ids.map((id) => providerRedirectUri(completeUrl, id));
}
