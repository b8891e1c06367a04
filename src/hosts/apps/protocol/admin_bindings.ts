/** The system admins' `/oauth2 provider ...` and `/oauth2 report` bindings. */
import type { Binding, Field } from './types.js';
import { CallPath } from './paths.js';
import { ICON } from './manifest.js';
import { providerOptions } from './provider_options.js';
import { CALL_EXPAND } from './expand.js';

type ProviderList = ReadonlyArray<{ id: string; display_name: string }>;

function providerSelect(providers: ProviderList): Field {
  return {
    name: 'provider',
    type: 'static_select',
    label: 'provider',
    modal_label: 'Provider',
    position: 1,
    is_required: true,
    options: providerOptions(providers),
  };
}

function onProvider(label: string, path: string, description: string, providers: ProviderList, extra: Field[] = []): Binding {
  return {
    location: label,
    label,
    description,
    hint: '<provider>',
    form: { title: description, icon: ICON, submit: { path, expand: CALL_EXPAND }, fields: [providerSelect(providers), ...extra] },
  };
}

/**
 * A command whose submit answers with the App's form (redirect URI, preset
 * fields), which the client opens as a modal, like the built-in `/apps settings`.
 * Not a binding form with only a `source`: the webapp's and mobile's command
 * parsers fetch that source and then keep the binding's own form, which has no
 * submit ("No submit call in binding or form": matchBinding in app_command_parser.ts).
 */
const formCommand = (label: string, path: string, description: string): Binding => ({
  location: label,
  label,
  description,
  submit: { path, expand: CALL_EXPAND },
});

export function providerAdminBinding(providers: ProviderList): Binding[] {
  const sub: Binding[] = [
    formCommand('add', CallPath.providerAddForm, 'Register a provider with its client id and secret'),
    formCommand('register', CallPath.providerRegisterForm, 'Register a provider by dynamic client registration (RFC 7591)'),
    {
      location: 'list',
      label: 'list',
      description: 'List the registered providers and their settings',
      submit: { path: CallPath.providerList, expand: CALL_EXPAND },
    },
  ];
  if (providers.length > 0) {
    sub.push(
      {
        location: 'edit',
        label: 'edit',
        description: 'Change a registered provider',
        hint: '<provider>',
        form: { title: 'Edit a provider', icon: ICON, submit: { path: CallPath.providerEditForm, expand: CALL_EXPAND }, fields: [providerSelect(providers)] },
      },
      onProvider('remove', CallPath.providerRemove, 'Remove a provider (its users must reconnect if it comes back)', providers, [
        {
          name: 'confirm',
          type: 'bool',
          label: 'confirm',
          modal_label: 'Yes, remove it',
          description: 'Users connected to it will no longer be able to use their tokens.',
        },
      ]),
      onProvider('test', CallPath.providerTest, "Check a provider's discovery and metadata", providers),
    );
  }
  return [
    {
      location: 'provider',
      label: 'provider',
      description: 'Manage OAuth2 providers (system admins)',
      hint: '[add|edit|remove|test|register|list]',
      bindings: sub,
    },
    {
      location: 'report',
      label: 'report',
      description: 'Connected and broken users per provider (system admins)',
      submit: { path: CallPath.report, expand: CALL_EXPAND },
    },
  ];
}
