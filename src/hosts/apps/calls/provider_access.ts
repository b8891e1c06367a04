/** Finding the provider a call names (the core's rules, the Apps host's inputs). */
import type { CallRequest } from '../protocol/types.js';
import { select } from '../protocol/values.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import * as core from '../../../core/providers.js';
import { providersOf } from './context.js';

/** The provider named by values.provider, or the only candidate when none is named. */
export function chosenProvider(req: CallRequest, candidates: StoredProvider[], verb: string): StoredProvider {
  return core.chosenProvider(providersOf(req), { provider: select(req.values, 'provider') }, candidates, verb);
}
