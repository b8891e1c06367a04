// The slice of the Apps framework wire format this plugin sends and reads
// (docs/mattermost.md, "The Apps framework"). Our own types rather than
// @mattermost/types/apps, whose AppExpand lacks oauth2_app and oauth2_user.

export type ExpandLevel = 'id' | 'summary' | 'all';
export type Expand = Partial<Record<'acting_user' | 'acting_user_access_token' | 'oauth2_app' | 'oauth2_user' | 'channel' | 'team', ExpandLevel>>;

export interface SelectOption {
  label: string;
  value: string;
}

export type FieldValue = string | boolean | SelectOption | null;
export type FormValues = Record<string, FieldValue>;

/** A Call as bindings and forms carry it: `submit` and `source`. */
export interface AppCall {
  path: string;
  expand?: Expand;
  state?: unknown;
}

export interface CallContext {
  app_id: string;
  location: string;
  channel_id: string;
  team_id: string;
  user_agent: 'webapp';
}

export interface CallRequest extends AppCall {
  values: FormValues;
  context: CallContext;
  selected_field?: string;
}

export interface AppField {
  name: string;
  type: 'text' | 'static_select' | 'dynamic_select' | 'bool' | 'user' | 'channel' | 'markdown';
  is_required?: boolean;
  readonly?: boolean;
  value?: FieldValue;
  description?: string;
  label?: string;
  modal_label?: string;
  hint?: string;
  options?: SelectOption[];
  refresh?: boolean;
  subtype?: 'input' | 'textarea' | 'number' | 'email' | 'tel' | 'url' | 'password';
  min_length?: number;
  max_length?: number;
}

export interface AppForm {
  title?: string;
  header?: string;
  footer?: string;
  submit?: AppCall;
  source?: AppCall;
  fields?: AppField[];
}

export type CallResponse =
  | { type: 'ok'; text?: string; data?: unknown }
  | { type: 'error'; text?: string; data?: { errors?: Record<string, string> } }
  | { type: 'form'; form: AppForm }
  | { type: 'navigate'; navigate_to_url: string };
