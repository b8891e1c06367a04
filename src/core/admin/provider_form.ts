/**
 * The admin's provider form as data: a preset select that refreshes the form
 * to show that preset's fields, the exact redirect URI to register at the
 * provider, and secrets as password fields (never echoed). Used by add, edit
 * and register; each host renders it (Apps form, interactive dialog).
 */
import { getPreset, listPresets, type PresetName } from '@oauth2-connect/engine';
import type { FieldSpec, FormSpec } from '../form_spec.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreValues, HostLinks } from '../request.js';
import { isPreset, REGISTRABLE_PRESETS } from './presets.js';
import { text } from './values.js';

export type FormMode = 'add' | 'edit' | 'register';

export const FORM_PURPOSE: Record<FormMode, string> = { add: 'provider.add', edit: 'provider.edit', register: 'provider.register' };

const AUTH_OPTIONS = [
  { label: 'Client secret in the body (client_secret_post)', value: 'client_secret_post' },
  { label: 'HTTP Basic (client_secret_basic)', value: 'client_secret_basic' },
  { label: 'Public client, PKCE only (none)', value: 'none' },
];

/** The value an admin already typed (refresh), else the stored one (edit). Secrets are never echoed. */
function current(values: CoreValues, stored: StoredProvider | undefined, name: string): string | undefined {
  const typed = text(values, name);
  if (typed !== undefined) return typed;
  if (!stored) return undefined;
  const key = name.startsWith('endpoints.') ? name.slice('endpoints.'.length) : name;
  const fromEndpoints = stored.endpoints?.[key as keyof NonNullable<StoredProvider['endpoints']>];
  const direct = (stored as unknown as Record<string, unknown>)[key];
  return typeof fromEndpoints === 'string' ? fromEndpoints : typeof direct === 'string' ? direct : undefined;
}

function presetFields(values: CoreValues, preset: PresetName, stored: StoredProvider | undefined): FieldSpec[] {
  return getPreset(preset).fields.map((f) => ({
    name: f.key.replace('.', '_'),
    type: 'url',
    label: f.label,
    required: f.required,
    help: f.help,
    value: current(values, stored, f.key) ?? current(values, stored, f.key.replace('.', '_')) ?? f.default ?? '',
  }));
}

function clientFields(values: CoreValues, preset: PresetName, stored: StoredProvider | undefined, mode: FormMode): FieldSpec[] {
  const defaults = getPreset(preset).defaults;
  const auth = text(values, 'auth') ?? stored?.auth ?? defaults.token_endpoint_auth_method;
  const fields: FieldSpec[] = [];
  if (mode !== 'register') {
    fields.push({ name: 'client_id', type: 'text', label: 'Client ID', required: true, value: current(values, stored, 'client_id') ?? '' });
    const help = stored ? 'Leave empty to keep the current secret.' : 'Leave empty for a public client (PKCE only).';
    fields.push({ name: 'client_secret', type: 'password', label: 'Client secret', help });
  }
  const chosenAuth = AUTH_OPTIONS.find((o) => o.value === auth) ?? AUTH_OPTIONS[0]!;
  fields.push({ name: 'auth', type: 'select', label: 'Client authentication', short_label: 'Client auth', options: AUTH_OPTIONS, value: chosenAuth.value });
  fields.push({
    name: 'scopes',
    type: 'text',
    label: 'Scopes',
    help: 'Separated by spaces.',
    value: current(values, stored, 'scopes') ?? (stored?.scopes ?? defaults.scopes).join(' '),
  });
  const params = current(values, stored, 'params') ?? new URLSearchParams(stored?.params ?? {}).toString();
  fields.push({
    name: 'params',
    type: 'text',
    label: 'Extra authorize parameters',
    short_label: 'Authorize parameters',
    help: 'Optional, as a=b&c=d.',
    value: params,
  });
  return fields;
}

const TITLES: Record<FormMode, string> = {
  add: 'Add an OAuth2 provider',
  edit: 'Edit an OAuth2 provider',
  register: 'Register at a provider (dynamic registration)',
};

/** Values that mean the same whatever the provider type; every other field follows the preset. */
const PRESET_INDEPENDENT = ['preset', 'client_id', 'client_secret'];

export interface FormRefresh {
  /** The field whose change rebuilt the form. */
  changed?: string;
  /** The preset the form showed before that change. */
  shownPreset?: string;
}

/**
 * When the admin has just switched the provider type (a refresh on `preset`,
 * away from the one the form showed), the old type's id, name, URLs, scopes,
 * auth method and parameters are dropped, so the new type's defaults show.
 */
function withoutStalePresetValues(values: CoreValues, preset: PresetName, refresh: FormRefresh): CoreValues {
  if (refresh.changed !== 'preset' || refresh.shownPreset === preset) return values;
  return Object.fromEntries(Object.entries(values).filter(([name]) => PRESET_INDEPENDENT.includes(name)));
}

export interface ProviderFormInput {
  values: CoreValues;
  host: Pick<HostLinks, 'redirectUri'>;
  mode: FormMode;
  stored?: StoredProvider;
  refresh?: FormRefresh;
}

export function providerFormSpec({ values: typed, host, mode, stored, refresh = {} }: ProviderFormInput): FormSpec {
  const chosen = text(typed, 'preset') ?? stored?.preset;
  const presets = listPresets().filter((p) => mode !== 'register' || REGISTRABLE_PRESETS.includes(p.name));
  const preset: PresetName = isPreset(chosen) ? chosen : (presets[0]?.name ?? 'oidc');
  const values = withoutStalePresetValues(typed, preset, refresh);
  const id = stored?.id ?? current(values, stored, 'id') ?? preset;
  const redirect = host.redirectUri(id) ?? '(unknown: the App needs the remote_oauth2 permission)';
  const fields: FieldSpec[] = [
    {
      name: 'redirect',
      type: 'markdown',
      label: 'Redirect URI',
      help: `Register this exact redirect URI at the provider (it ends with the short name, \`${id}\` here):\n\`${redirect}\``,
    },
    {
      name: 'preset',
      type: 'select',
      label: 'Provider type',
      required: true,
      refresh: true,
      readonly: mode === 'edit',
      options: presets.map((p) => ({ label: p.label, value: p.name })),
      value: preset,
    },
    {
      name: 'id',
      type: 'text',
      label: 'Short name (used in commands)',
      short_label: 'Short name',
      required: true,
      readonly: mode === 'edit',
      help: 'Lower-case letters, digits and -, e.g. github.',
      value: current(values, stored, 'id') ?? (mode === 'edit' ? '' : preset),
    },
    { name: 'display_name', type: 'text', label: 'Display name', required: true, value: current(values, stored, 'display_name') ?? getPreset(preset).label },
    ...presetFields(values, preset, stored),
    ...clientFields(values, preset, stored, mode),
  ];
  return { title: TITLES[mode], purpose: FORM_PURPOSE[mode], ...(stored && { target: stored.id }), fields };
}
