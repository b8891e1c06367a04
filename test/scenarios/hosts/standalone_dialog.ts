/**
 * An interactive dialog as the webapp shows it (docs/mattermost.md, "Interactive dialogs"):
 * values start from the elements' defaults, a `refresh` element resubmits the
 * current values with type "refresh" to source_url and the dialog is replaced,
 * and saving sends the non-empty values to the dialog's url. How the
 * submission travels (straight to the service, or through Mattermost's
 * /api/v4/actions/dialogs/submit) is the transport's business.
 */
import type { Answer, OpenForm } from '../host.js';

export interface DialogElement {
  name: string;
  type: string;
  subtype?: string;
  default?: string;
  help_text?: string;
  refresh?: boolean;
  options?: Array<{ text: string; value: string }>;
}

export interface OpenedDialog {
  url: string;
  dialog: {
    callback_id: string;
    state: string;
    title: string;
    introduction_text?: string;
    elements?: DialogElement[];
    source_url?: string;
  };
}

export interface DialogSubmission {
  type: 'dialog_submission' | 'refresh';
  callback_id: string;
  state: string;
  submission: Record<string, string | boolean>;
  cancelled: false;
}

export interface DialogAnswer {
  type?: string;
  error?: string;
  errors?: Record<string, string>;
  form?: OpenedDialog['dialog'];
}

/** Sends a submission to `url` as the user; after a dialog closes, what the person reads is the bot's new DMs. */
export interface DialogTransport {
  submit(url: string, body: DialogSubmission): Promise<DialogAnswer>;
  directMessages(): Promise<string[]>;
}

const initial = (element: DialogElement): string | boolean | undefined =>
  element.type === 'bool' ? element.default === 'true' : element.default === undefined || element.default === '' ? undefined : element.default;

export class DialogForm implements OpenForm {
  private values: Record<string, string | boolean | undefined> = {};

  constructor(
    /** The dialog as Mattermost delivered it: its url, callback_id and signed state. */
    public opened: OpenedDialog,
    private readonly transport: DialogTransport,
  ) {
    this.reset(opened.dialog);
  }

  /** A new dialog (after a refresh) shows its own defaults: the service carries typed values over into them. */
  private reset(dialog: OpenedDialog['dialog']): void {
    this.opened = { ...this.opened, dialog };
    this.values = Object.fromEntries((dialog.elements ?? []).map((e) => [e.name, initial(e)]));
  }

  private element(name: string): DialogElement | undefined {
    return this.opened.dialog.elements?.find((e) => e.name === name);
  }

  get notes(): string {
    return [this.opened.dialog.introduction_text ?? '', ...(this.opened.dialog.elements ?? []).map((e) => e.help_text ?? '')].join('\n');
  }

  shown(name: string): string | boolean | undefined {
    return this.element(name) ? (this.values[name] ?? '') : undefined;
  }

  isSecret(name: string): boolean {
    return this.element(name)?.subtype === 'password';
  }

  /** The webapp leaves empty fields out. */
  private submission(): Record<string, string | boolean> {
    return Object.fromEntries(Object.entries(this.values).filter((e): e is [string, string | boolean] => e[1] !== undefined && e[1] !== ''));
  }

  /** The submission the webapp would send now. */
  body(type: DialogSubmission['type'] = 'dialog_submission'): DialogSubmission {
    const { callback_id, state } = this.opened.dialog;
    return { type, callback_id, state, submission: this.submission(), cancelled: false };
  }

  async fill(values: Record<string, string | boolean>): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      const element = this.element(name);
      if (!element) throw new Error(`the dialog has no field "${name}" (fields: ${Object.keys(this.values).join(', ')})`);
      if (element.type === 'select' && !element.options?.some((o) => o.value === value)) throw new Error(`field "${name}" offers no option "${String(value)}"`);
      const changed = this.values[name] !== value;
      this.values[name] = value;
      if (!element.refresh || !changed) continue;
      const source = this.opened.dialog.source_url;
      if (!source) throw new Error('a refresh field without source_url');
      const answer = await this.transport.submit(source, this.body('refresh'));
      if (answer.type !== 'form' || !answer.form) throw new Error(`refreshing the dialog failed: ${JSON.stringify(answer)}`);
      this.reset(answer.form);
    }
  }

  async submit(): Promise<Answer> {
    const seen = (await this.transport.directMessages()).length;
    const answer = await this.transport.submit(this.opened.url, this.body('dialog_submission'));
    if (answer.errors && Object.keys(answer.errors).length > 0)
      return { kind: 'error', text: Object.values(answer.errors).join('\n'), fieldErrors: answer.errors };
    if (answer.error) return { kind: 'error', text: answer.error, fieldErrors: {} };
    if (answer.type === 'form' && answer.form) {
      this.reset(answer.form);
      return { kind: 'form', form: this, text: '' };
    }
    return { kind: 'text', text: (await this.transport.directMessages()).slice(seen).join('\n') };
  }
}
