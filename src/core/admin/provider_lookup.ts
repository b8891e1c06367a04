/** Finding the provider an admin operation names (values.provider), or the only one: src/core/providers.ts's rules. */
import { chosenProvider, NO_PROVIDERS } from '../providers.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreValues } from '../request.js';

export { NO_PROVIDERS };

export const namedProvider = (values: CoreValues, all: StoredProvider[], verb: string): StoredProvider => chosenProvider(all, values, all, verb);
