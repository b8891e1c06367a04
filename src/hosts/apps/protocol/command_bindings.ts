/**
 * The `/oauth2` command bindings, derived from the core's command list: one
 * binding per command the caller may run (a group such as `provider` nests
 * its actions), its description the command's help, a provider argument as a
 * select of the candidates, a confirmation as a checkbox. A command that
 * opens a form first calls its form's path. Bindings are not a security
 * boundary: admin handlers check the role again.
 */
import { COMMAND_GROUPS, COMMANDS, commandWords, type CommandSpec } from '../../../core/commands.js';
import { capitalized } from '../../../core/format.js';
import { APPS_WORDING, argumentUsage, helpOf } from '../../../core/info.js';
import { CALL_EXPAND } from './expand.js';
import { ICON } from './manifest.js';
import { providerOptions } from './provider_options.js';
import type { Binding, Field } from './types.js';

type ProviderList = ReadonlyArray<{ id: string; display_name: string }>;

export interface BindingInput {
  isAdmin: boolean;
  providers: ProviderList;
  /** Provider id -> whether the stored token is broken. */
  connections: Readonly<Record<string, { broken?: string }>>;
}

/** `/provider/edit` for `provider edit`. */
export const commandPath = (spec: Pick<CommandSpec, 'name'>): string => `/${commandWords(spec).join('/')}`;

/** The path of the form a command opens first: `/provider/edit/form`. */
export const formPath = (spec: Pick<CommandSpec, 'name'>): string => `${commandPath(spec)}/form`;

/** Where the command's binding calls: its form's path when it opens a form first. */
export const commandCallPath = (spec: CommandSpec): string => ('form' in spec && spec.form ? formPath(spec) : commandPath(spec));

function candidates(spec: CommandSpec, input: BindingInput): ProviderList {
  const connection = (id: string) => input.connections[id];
  if (spec.provider?.among === 'connected') return input.providers.filter((p) => connection(p.id));
  if (spec.provider?.among === 'connectable') return input.providers.filter((p) => !connection(p.id) || connection(p.id)?.broken);
  return input.providers;
}

/** Offered when it has a candidate; one whose provider is optional also when none is registered (it then says how to add one). */
function offered(spec: CommandSpec, input: BindingInput): boolean {
  if (!spec.provider) return true;
  return candidates(spec, input).length > 0 || (!spec.provider.required && input.providers.length === 0);
}

/** The users' lone candidate fills in; an admin always names the provider an admin command acts on. */
function providerField(spec: CommandSpec, list: ProviderList, description: string): Field {
  const lone = list.length === 1 && !spec.adminOnly ? list[0] : undefined;
  return {
    name: 'provider',
    type: 'static_select',
    label: 'provider',
    modal_label: 'Provider',
    description,
    position: 1,
    is_required: spec.provider?.required === true && !lone,
    options: providerOptions(list),
    ...(lone && { value: { label: lone.display_name, value: lone.id } }),
  };
}

function confirmField(spec: CommandSpec, warning: string): Field {
  const verb = commandWords(spec).at(-1) ?? '';
  return { name: 'confirm', type: 'bool', label: 'confirm', modal_label: `Yes, ${verb} it`, description: warning };
}

function commandBinding(spec: CommandSpec, input: BindingInput, description: string): Binding {
  const label = commandWords(spec).at(-1) ?? spec.name;
  const submit = { path: commandCallPath(spec), expand: CALL_EXPAND };
  if (!spec.provider) return { location: label, label, description, submit };
  const fields = [providerField(spec, candidates(spec, input), description), ...(spec.confirm ? [confirmField(spec, spec.confirm)] : [])];
  return { location: label, label, description, hint: argumentUsage(spec), form: { title: description, icon: ICON, submit, fields } };
}

const forAdmins = (description: string, spec: { adminOnly: boolean }) => (spec.adminOnly ? `${description} (system admins)` : description);

/** The subcommands of `/oauth2` this caller is offered, in the list's order; a group's at its first command. */
export function commandBindings(input: BindingInput): Binding[] {
  const top: Binding[] = [];
  const groups = new Map<string, Binding[]>();
  for (const spec of COMMANDS) {
    if ((spec.adminOnly && !input.isAdmin) || !offered(spec, input)) continue;
    const [group, action] = commandWords(spec);
    const description = capitalized(helpOf(spec, APPS_WORDING));
    if (action === undefined || group === undefined) {
      top.push(commandBinding(spec, input, forAdmins(description, spec)));
      continue;
    }
    let actions = groups.get(group);
    if (!actions) {
      actions = [];
      groups.set(group, actions);
      const about = forAdmins(capitalized(COMMAND_GROUPS[group] ?? group), spec);
      top.push({ location: group, label: group, description: about, hint: '', bindings: actions });
    }
    actions.push(commandBinding(spec, input, description));
  }
  for (const binding of top) if (binding.bindings) binding.hint = `[${binding.bindings.map((b) => b.label).join('|')}]`;
  return top;
}
