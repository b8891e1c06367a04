/** Values of a complete provider form that an attacker sends to admin paths (a provider named evil on the test provider). */
export function evilProviderValues(issuer: string): Record<string, unknown> {
  return {
    preset: { label: 'OpenID Connect', value: 'oidc' },
    id: 'evil',
    display_name: 'Evil',
    issuer,
    client_id: 'c',
    client_secret: 's'.repeat(20),
    auth: { label: 'post', value: 'client_secret_post' },
    provider: { label: 'Test IdP', value: 'idp' },
    confirm: true,
  };
}
