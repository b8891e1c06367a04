/**
 * The redirect URI of each provider: complete_url with the provider's id in
 * its query. The Apps plugin passes every query parameter of the redirect
 * into the complete call's values, so /oauth2/complete learns which
 * provider's redirect it is: a mix-up defence for providers that send no
 * RFC 9207 `iss` (GitHub, GitLab, Microsoft, plain OAuth2).
 * https://www.rfc-editor.org/rfc/rfc9700#section-4.4.2
 */
export const PROVIDER_PARAM = 'provider';

export function providerRedirectUri(completeUrl: string, providerId: string): string {
  const url = new URL(completeUrl);
  url.searchParams.set(PROVIDER_PARAM, providerId);
  return url.href;
}
