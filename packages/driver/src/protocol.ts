/**
 * Wire types of the Apps framework as the v1.2.2 plugin really sends them
 * (docs/mattermost.md, "The Apps framework"). @mattermost/types describes the
 * webapp side and lacks every expanded field, so these are our own.
 */

/** "none" and "-x" fail the call at the plugin; leave the key out instead. */
export type ExpandLevel = '' | 'id' | 'summary' | 'all' | '+id' | '+summary' | '+all';

export interface Expand {
  acting_user?: ExpandLevel;
  acting_user_access_token?: 'all' | '+all';
  locale?: ExpandLevel;
  app?: ExpandLevel;
  channel?: ExpandLevel;
  team?: ExpandLevel;
  user?: ExpandLevel;
  oauth2_app?: 'all' | '+all';
  oauth2_user?: 'all' | '+all';
}

export interface Call {
  path: string;
  expand?: Expand;
  state?: unknown;
}

export interface SelectOption {
  label: string;
  value: string;
  icon_data?: string;
}

export type FieldValue = string | boolean | number | SelectOption | SelectOption[] | null;
export type Values = Record<string, FieldValue | undefined>;

/** The acting user at level "summary" (a subset of model.User). */
export interface ExpandedUser {
  id: string;
  username?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  roles?: string;
  locale?: string;
  is_bot?: boolean;
}

/** context.oauth2: filled by the oauth2_app and oauth2_user expands. */
export interface OAuth2Context {
  remote_root_url?: string;
  client_id?: string;
  client_secret?: string;
  /** Whatever the App stored in oauth2/app's data. */
  data?: unknown;
  connect_url?: string;
  complete_url?: string;
  /** Whatever the App stored in oauth2/user for the acting user. */
  user?: unknown;
}

/** The context as the App receives it: the user-agent part is stripped by v1.2.2. */
export interface Context {
  app_id?: string;
  mattermost_site_url?: string;
  app_path?: string;
  bot_user_id?: string;
  bot_access_token?: string;
  developer_mode?: boolean;
  acting_user?: ExpandedUser;
  acting_user_access_token?: string;
  locale?: string;
  oauth2?: OAuth2Context;
  channel?: { id: string; team_id?: string };
  team?: { id: string };
  subject?: string;
}

export interface CallRequest {
  path: string;
  expand?: Expand;
  state?: unknown;
  values?: Values;
  context: Context;
  raw_command?: string;
  selected_field?: string;
  query?: string;
}

export interface Field {
  name: string;
  type: 'text' | 'static_select' | 'dynamic_select' | 'bool' | 'user' | 'channel' | 'markdown';
  is_required?: boolean;
  readonly?: boolean;
  value?: FieldValue;
  description?: string;
  label?: string;
  modal_label?: string;
  hint?: string;
  position?: number;
  options?: SelectOption[];
  lookup?: Call;
  multiselect?: boolean;
  refresh?: boolean;
  subtype?: 'input' | 'textarea' | 'number' | 'email' | 'tel' | 'url' | 'password';
  min_length?: number;
  max_length?: number;
}

export interface Form {
  title?: string;
  header?: string;
  footer?: string;
  icon?: string;
  submit?: Call;
  source?: Call;
  submit_buttons?: string;
  fields?: Field[];
}

export interface Binding {
  location?: string;
  label?: string;
  icon?: string;
  hint?: string;
  description?: string;
  submit?: Call;
  form?: Form;
  bindings?: Binding[];
}

export type CallResponse =
  | { type: 'ok'; text?: string; data?: unknown; refresh_bindings?: boolean }
  | { type: 'error'; text: string; data?: { errors?: Record<string, string> } }
  | { type: 'form'; form: Form; refresh_bindings?: boolean }
  | { type: 'navigate'; navigate_to_url: string; use_external_browser?: boolean; refresh_bindings?: boolean };
