/**
 * A form as data, host-free: the Apps host renders it as an Apps form, the
 * standalone host as an interactive dialog (whose labels are at most 24 bytes:
 * give `short_label` when `label` is longer).
 */
export interface FieldOption {
  label: string;
  value: string;
}

export interface FieldSpec {
  name: string;
  type: 'text' | 'password' | 'url' | 'select' | 'bool' | 'markdown';
  label: string;
  short_label?: string;
  help?: string;
  required?: boolean;
  readonly?: boolean;
  /** Changing this field asks the host to build the form again with the values so far. */
  refresh?: boolean;
  options?: FieldOption[];
  value?: string | boolean;
}

export interface FormSpec {
  title: string;
  /** What submitting it does, e.g. "provider.add"; the host routes the submission by it. */
  purpose: string;
  /** What it acts on, e.g. a provider id. */
  target?: string;
  fields: FieldSpec[];
  submit_label?: string;
}
