/** The provider lookup, and on_install. */
import { ok } from '../protocol/responses.js';
import type { Handler } from './deps.js';
import { providersOf } from './context.js';

export const providerLookup: Handler = async (req) => {
  const query = (req.query ?? '').toLowerCase();
  const items = providersOf(req)
    .filter((p) => p.id.includes(query) || p.display_name.toLowerCase().includes(query))
    .map((p) => ({ label: p.display_name, value: p.id }));
  return ok(undefined, { items });
};

export const install: Handler = async () =>
  ok('OAuth2 Connect is installed. Register a provider with `/oauth2 provider add`; users then connect with `/oauth2 connect`.');
