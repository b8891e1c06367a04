/** Providers as select options, shared by the user and the admin bindings. */
import type { SelectOption } from './types.js';

/**
 * Select options for providers. The plugin drops an option whose label repeats
 * another's, so a display name shared by two providers gets its id added.
 */
export function providerOptions(list: ReadonlyArray<{ id: string; display_name: string }>): SelectOption[] {
  const seen = new Map<string, number>();
  for (const p of list) seen.set(p.display_name.toLowerCase(), (seen.get(p.display_name.toLowerCase()) ?? 0) + 1);
  return list.map((p) => ({ label: (seen.get(p.display_name.toLowerCase()) ?? 0) > 1 ? `${p.display_name} (${p.id})` : p.display_name, value: p.id }));
}
