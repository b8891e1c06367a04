/**
 * The admin's provider form: a preset select that refreshes the form to show
 * that preset's fields, the exact redirect URI to register at the provider,
 * and secrets as password fields. Used by add, edit and register.
 */
import type { CallRequest, Field, Form } from '../../protocol/types.js';
import { CALL_EXPAND } from '../../protocol/expand.js';
import { ICON } from '../../protocol/manifest.js';
import { select, text } from '../../protocol/values.js';
import { getPreset, listPresets } from '../../../../oauth/providers/index.js';
import type { PresetName } from '../../../../oauth/types.js';
import { providerRedirectUri } from '../redirect_uri.js';
import type { StoredProvider } from '../../../../core/provider_records.js';

export type FormMode = 'add' | 'edit' | 'register';

const PRESET_NAMES = listPresets().map((p) => p.name);
export const isPreset = (v: string | undefined): v is PresetName => v !== undefined && (PRESET_NAMES as string[]).includes(v);

const AUTH_OPTIONS = [
  { label: 'Client secret in the body (client_secret_post)', value: 'client_secret_post' },
  { label: 'HTTP Basic (client_secret_basic)', value: 'client_secret_basic' },
  { label: 'Public client, PKCE only (none)', value: 'none' },
];

const textField = (name: string, modal_label: string, extra: Partial<Field> = {}): Field => ({
  name,
  type: 'text',
  label: name.replace(/_/g, '-'),
  modal_label,
  ...extra,
});

/** The value an admin already typed (refresh), else the stored one (edit). Secrets are never echoed. */
function current(req: CallRequest, stored: StoredProvider | undefined, name: string): string | undefined {
  const typed = text(req.values, name);
  if (typed !== undefined) return typed;
  if (!stored) return undefined;
  const key = name.startsWith('endpoints.') ? name.slice('endpoints.'.length) : name;
  const fromEndpoints = stored.endpoints?.[key as keyof NonNullable<StoredProvider['endpoints']>];
  const direct = (stored as unknown as Record<string, unknown>)[key];
  return typeof fromEndpoints === 'string' ? fromEndpoints : typeof direct === 'string' ? direct : undefined;
}

function presetFields(req: CallRequest, preset: PresetName, stored: StoredProvider | undefined): Field[] {
  return getPreset(preset).fields.map((f) =>
    textField(f.key.replace('.', '_'), f.label, {
      subtype: 'url',
      is_required: f.required,
      description: f.help,
      value: current(req, stored, f.key) ?? current(req, stored, f.key.replace('.', '_')) ?? f.default ?? '',
    }),
  );
}

function clientFields(req: CallRequest, preset: PresetName, stored: StoredProvider | undefined, mode: FormMode): Field[] {
  const defaults = getPreset(preset).defaults;
  const auth = select(req.values, 'auth') ?? stored?.auth ?? defaults.token_endpoint_auth_method;
  const fields: Field[] = [];
  if (mode !== 'register') {
    fields.push(textField('client_id', 'Client ID', { is_required: true, value: current(req, stored, 'client_id') ?? '' }));
    fields.push(
      textField('client_secret', 'Client secret', {
        subtype: 'password',
        description: stored ? 'Leave empty to keep the current secret.' : 'Leave empty for a public client (PKCE only).',
      }),
    );
  }
  fields.push({
    name: 'auth',
    type: 'static_select',
    label: 'auth',
    modal_label: 'Client authentication',
    options: AUTH_OPTIONS,
    value: AUTH_OPTIONS.find((o) => o.value === auth) ?? AUTH_OPTIONS[0]!,
  });
  fields.push(
    textField('scopes', 'Scopes', {
      description: 'Separated by spaces.',
      value: current(req, stored, 'scopes') ?? (stored?.scopes ?? defaults.scopes).join(' '),
    }),
  );
  fields.push(
    textField('params', 'Extra authorize parameters', {
      description: 'Optional, as a=b&c=d.',
      value: current(req, stored, 'params') ?? new URLSearchParams(stored?.params ?? {}).toString(),
    }),
  );
  return fields;
}

const TITLES: Record<FormMode, string> = {
  add: 'Add an OAuth2 provider',
  edit: 'Edit an OAuth2 provider',
  register: 'Register at a provider (dynamic registration)',
};

/** Values that mean the same whatever the provider type; every other field follows the preset. */
const PRESET_INDEPENDENT = ['preset', 'client_id', 'client_secret'];

/**
 * The request as the form should read it. When the admin has just switched the
 * provider type (a refresh on `preset`, away from the one the form showed, kept
 * in the source's state), the old type's id, name, URLs, scopes, auth method
 * and parameters are dropped, so the new type's defaults show.
 */
function withoutStalePresetValues(req: CallRequest, preset: PresetName): CallRequest {
  const shown = (req.state as { preset?: unknown } | undefined)?.preset;
  if (req.selected_field !== 'preset' || shown === preset) return req;
  const kept = Object.fromEntries(Object.entries(req.values ?? {}).filter(([name]) => PRESET_INDEPENDENT.includes(name)));
  return { ...req, values: kept };
}

export function providerForm(request: CallRequest, mode: FormMode, submitPath: string, sourcePath: string, stored?: StoredProvider): Form {
  const chosen = select(request.values, 'preset') ?? stored?.preset;
  const presets = listPresets().filter((p) => mode !== 'register' || ['mattermost', 'oidc', 'oauth2', 'gitlab'].includes(p.name));
  const preset: PresetName = isPreset(chosen) ? chosen : (presets[0]?.name ?? 'oidc');
  const req = withoutStalePresetValues(request, preset);
  const completeUrl = req.context.oauth2?.complete_url;
  const id = stored?.id ?? current(req, stored, 'id') ?? preset;
  const redirect = completeUrl ? providerRedirectUri(completeUrl, id) : '(unknown: the App needs the remote_oauth2 permission)';
  const fields: Field[] = [
    {
      name: 'redirect',
      type: 'markdown',
      description: `Register this exact redirect URI at the provider (it ends with the short name, \`${id}\` here):\n\`${redirect}\``,
    },
    {
      name: 'preset',
      type: 'static_select',
      label: 'preset',
      modal_label: 'Provider type',
      is_required: true,
      refresh: true,
      readonly: mode === 'edit',
      options: presets.map((p) => ({ label: p.label, value: p.name })),
      value: { label: getPreset(preset).label, value: preset },
    },
    textField('id', 'Short name (used in commands)', {
      is_required: true,
      readonly: mode === 'edit',
      description: 'Lower-case letters, digits and -, e.g. github.',
      value: current(req, stored, 'id') ?? (mode === 'edit' ? '' : preset),
    }),
    textField('display_name', 'Display name', { is_required: true, value: current(req, stored, 'display_name') ?? getPreset(preset).label }),
    ...presetFields(req, preset, stored),
    ...clientFields(req, preset, stored, mode),
  ];
  return {
    title: TITLES[mode],
    icon: ICON,
    submit: { path: submitPath, expand: CALL_EXPAND, ...(stored && { state: { provider: stored.id } }) },
    source: { path: sourcePath, expand: CALL_EXPAND, state: { ...(stored && { provider: stored.id }), preset } },
    fields,
  };
}
