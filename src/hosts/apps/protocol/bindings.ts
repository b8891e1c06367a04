/**
 * Bindings, computed per request from {isAdmin, providers, connections}: no
 * round trip, since the manifest's bindings call expands oauth2_app (the
 * providers) and oauth2_user (the caller's connections). Bindings are not a
 * security boundary: admin handlers check the role again.
 */
import type { Binding, Call, Expand, Field } from './types.js';
import { CallPath } from './paths.js';
import { ICON } from './manifest.js';
import { providerAdminBinding } from './admin_bindings.js';
import { CALL_EXPAND } from './expand.js';
import { providerOptions } from './provider_options.js';

export interface BindingInput {
  isAdmin: boolean;
  providers: ReadonlyArray<{ id: string; display_name: string }>;
  /** Provider id -> whether the stored token is broken. */
  connections: Readonly<Record<string, { broken?: string }>>;
}

export const BASE_COMMAND = 'oauth2';

export const submitCall = (path: string, expand: Expand = CALL_EXPAND): Call => ({ path, expand });

function providerField(name: string, list: ReadonlyArray<{ id: string; display_name: string }>, required: boolean, description: string): Field {
  const only = list.length === 1 ? list[0] : undefined;
  return {
    name,
    type: 'static_select',
    label: name,
    modal_label: 'Provider',
    description,
    position: 1,
    is_required: required && !only,
    options: providerOptions(list),
    ...(only && { value: { label: only.display_name, value: only.id } }),
  };
}

function providerCommand(
  label: string,
  path: string,
  description: string,
  list: ReadonlyArray<{ id: string; display_name: string }>,
  required: boolean,
): Binding {
  return {
    location: label,
    label,
    description,
    hint: required ? '<provider>' : '[provider]',
    form: {
      title: description,
      icon: ICON,
      submit: submitCall(path),
      fields: [providerField('provider', list, required, description)],
    },
  };
}

const simpleCommand = (label: string, path: string, description: string): Binding => ({
  location: label,
  label,
  description,
  submit: submitCall(path),
});

export function userCommandBindings(input: BindingInput): Binding[] {
  const connected = input.providers.filter((p) => input.connections[p.id]);
  const connectable = input.providers.filter((p) => !input.connections[p.id] || input.connections[p.id]?.broken);
  const list: Binding[] = [];
  if (input.providers.length === 0 || connectable.length > 0) {
    list.push(providerCommand('connect', CallPath.connect, 'Connect your account at a provider', connectable, false));
  }
  if (connected.length > 0) {
    list.push(providerCommand('disconnect', CallPath.disconnect, 'Disconnect your account from a provider', connected, true));
    list.push(providerCommand('whoami', CallPath.whoami, 'Show who you are at a provider', connected, true));
  }
  list.push(simpleCommand('status', CallPath.status, 'Show your connected accounts'));
  list.push(simpleCommand('providers', CallPath.providers, 'List the registered providers'));
  list.push(simpleCommand('help', CallPath.help, 'How to use /oauth2'));
  return list;
}

export function computeBindings(input: BindingInput): Binding[] {
  const subcommands = userCommandBindings(input);
  if (input.isAdmin) subcommands.push(...providerAdminBinding(input.providers));
  return [
    {
      location: '/command',
      bindings: [
        {
          location: BASE_COMMAND,
          label: BASE_COMMAND,
          icon: ICON,
          description: 'Connect your accounts at OAuth2 providers',
          hint: '[command]',
          bindings: subcommands,
        },
      ],
    },
    {
      location: '/channel_header',
      bindings: [{ location: 'accounts', label: 'Connected accounts', icon: ICON, hint: 'Connected accounts', submit: submitCall(CallPath.status) }],
    },
  ];
}
