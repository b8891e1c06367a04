/**
 * What a person does in Mattermost, whichever host serves `/oauth2`: the Apps
 * host (an App on the Apps plugin: bindings, calls, modals) or the standalone
 * host (a custom slash command, interactive dialogs, Sign in with Mattermost).
 * Host-neutral scenarios use only this interface; the differences (links in
 * answers or connect_url, the modal or the dialog, where an answer lands, the
 * pages the browser ends on) live in the implementations under ./hosts.
 */
import type { StartedOidcProvider } from '../support/oidc_provider.js';

export interface Person {
  id: string;
  username: string;
  isAdmin: boolean;
}

/** A form the person is looking at: the Apps modal or the interactive dialog. */
export interface OpenForm {
  /** What a field shows now (a select's chosen value, the text), undefined when the form has no such field. */
  shown(name: string): string | boolean | undefined;
  /** The form's introduction and help texts, where the redirect URI is shown. */
  readonly notes: string;
  /** True when the field hides what is typed (secrets). */
  isSecret(name: string): boolean;
  /** Types or picks values in this order; a field that refreshes the form reloads it. */
  fill(values: Record<string, string | boolean>): Promise<void>;
  /** Saves: the answer the person sees (the text of a closed form, or the form's errors). */
  submit(): Promise<Answer>;
}

export type Answer =
  /** An answer to read: an ephemeral text, or what the bot said after a form closed. */
  | { kind: 'text'; text: string }
  /** A refusal; fieldErrors are those shown next to the form's fields. */
  | { kind: 'error'; text: string; fieldErrors: Record<string, string> }
  | { kind: 'form'; form: OpenForm; text: string };

/** The last page of a browser flow. */
export interface BrowserOutcome {
  /** The host's page said the account is connected. */
  completed: boolean;
  text: string;
}

/** A connect flow driven without a browser, stopped before the provider's redirect comes back. */
export interface RawFlow {
  /** The provider's redirect back to the host, as the browser would follow it. */
  completeUrl: string;
  /** Follows a redirect back (completeUrl unless given) with the user's cookies: the host's last page. */
  complete(url?: string): Promise<BrowserOutcome>;
}

export interface ScenarioHost {
  readonly name: 'apps' | 'standalone';
  readonly backend: 'fake' | 'real';
  /** For test titles: "apps host, fake backend". */
  readonly label: string;
  readonly admin: Person;
  /** The OpenID provider the scenarios connect to (oidc-provider on 127.0.0.1). */
  readonly provider: StartedOidcProvider;
  /** The service's clock offset in ms: move it forward to make tokens look expired. */
  readonly clock: { offsetMs: number };
  /** The service's log lines, and the secrets none of them may contain. */
  readonly logs: string[];
  readonly secrets: string[];
  createUser(prefix: string): Promise<Person>;
  /**
   * `/oauth2 <words>` as `user`. Values the command itself takes (the provider;
   * on the Apps host a confirmation too) are typed; the others are entered in
   * the form it opens, which is then saved. Without such values an opened form
   * comes back as it is.
   */
  command(user: Person, words: string[], values?: Record<string, string | boolean>): Promise<Answer>;
  /** The single-use connect link `/oauth2 connect <provider>` gives the user (also to reconnect). */
  connectLink(user: Person, provider: string): Promise<string>;
  /** Opens a link in Chromium signed in to Mattermost as `user`, passing the provider's pages as `login`. */
  openInBrowser(user: Person, url: string, login: string): Promise<BrowserOutcome>;
  /**
   * The connect flow without a browser, up to the provider's redirect back, so
   * a scenario can tamper with it or move the clock; `deny` refuses consent.
   */
  startFlow(user: Person, provider: string, login: string, deny?: boolean): Promise<RawFlow>;
  /** Messages the service's bot sent the user, oldest first. */
  directMessages(user: Person): Promise<string[]>;
  /** The service's metrics as Prometheus scrapes them (the Prometheus text format). */
  metrics(): Promise<string>;
  /** The exact redirect URI an admin registers at the provider for `providerId`. */
  redirectUri(providerId: string): string;
  close(): Promise<void>;
}

export const answerText = (answer: Answer): string => answer.text;
