/**
 * Every `/oauth2` command, once: its name, its arguments, its help line,
 * whether only system admins may run it, and the core operation it runs.
 * Both hosts derive their command surfaces from this list: the standalone
 * host its subcommand table (and its admin dialogs), the Apps host its
 * bindings and call routes, and `help` its lines. Adding a command is a row
 * here and its operation; a row without an operation is one only the host can
 * do (connect: the link that starts the flow is the host's).
 */
import { addProvider, editProvider, providerAddForm, providerEditForm, removeProvider } from './admin/provider_changes.js';
import type { FormRefresh } from './admin/provider_form.js';
import { connectionReport, listProviders, providerRegisterForm, registerProvider, testProvider } from './admin/provider_reports.js';
import type { AdminDeps } from './admin/provider_secrets.js';
import { migrateProviders, migrateStatus, migrateUsers } from './apps_move/operations.js';
import { audited } from './admin/audited.js';
import { auditTrailCommand } from './admin/audit_command.js';
import { disconnect } from './disconnect.js';
import { type HelpRow, providersList, renderHelp } from './info.js';
import type { CoreAnswer, CoreOperation, CoreRequest, HelpWording } from './request.js';
import { status } from './status.js';
import { whoami } from './whoami.js';
import { clientAdd, clientGrants, clientList, clientRemove, clientRotate } from './token_api/client_admin.js';
import { grantsList, grantsRevoke } from './token_api/grants.js';

/** The admin operations need less than CoreDeps: a host may pass its own client-secret binding instead of its configuration. */
export type AdminOperation = (req: CoreRequest, deps: AdminDeps) => Promise<CoreAnswer>;
export type FormOperation = (req: CoreRequest, refresh?: FormRefresh) => Promise<CoreAnswer>;

export interface ProviderArgument {
  /** False: the only candidate is taken, or the user is asked to choose. */
  required: boolean;
  /** What a client offers: every registered provider, those the user can (re)connect, or those they are connected to. */
  among: 'registered' | 'connectable' | 'connected';
}

interface CommandFields extends HelpRow {
  /** The words after `/oauth2`, e.g. 'status' or 'provider edit' (a group and its action). */
  name: string;
  /** Lower case, no final period; `{holder}` is the host's HelpWording. Also the command's description in autocomplete. */
  help: string;
  provider?: ProviderArgument;
  /** Runs only once confirmed (a checkbox in a form, a dialog): the warning shown beside it. */
  confirm?: string;
  /** Its answer lists the system admins' commands to them: the host asks Mattermost whether the user is one. */
  showsAdminCommands?: boolean;
  /** Its operation starts from the user's view (user_connections.ts userView): a host may read that with the request's own checks. */
  readsUserView?: boolean;
}

/**
 * A user command runs a CoreOperation (none: the host's own); an admin command an
 * AdminOperation, and with a `form` its values are entered in that form first
 * (an Apps form, a dialog), the operation taking what it submits.
 */
export type CommandSpec =
  (CommandFields & { adminOnly: false; operation?: CoreOperation }) | (CommandFields & { adminOnly: true; operation: AdminOperation; form?: FormOperation });

export type UserCommand = Extract<CommandSpec, { adminOnly: false }>;
export type AdminCommand = Extract<CommandSpec, { adminOnly: true }>;

/** Groups of commands (`provider add`, `provider edit` …) and what they are for. */
export const COMMAND_GROUPS: Readonly<Record<string, string>> = {
  provider: 'manage OAuth2 providers',
  migrate: 'copy providers and connections to the standalone host before upgrading to Mattermost v12',
  grants: 'the integrations you allowed to use your accounts',
  client: 'manage the integrations that use the token API',
};

const help: CoreOperation = async (req) => ({ text: helpText(req.user.isAdmin, req.host.helpWording) });

const connected = { required: true, among: 'connected' } as const;
const registered = { required: true, among: 'registered' } as const;

export const COMMANDS = [
  { name: 'connect', provider: { required: false, among: 'connectable' }, help: 'connect your account at a provider', adminOnly: false },
  {
    name: 'disconnect',
    provider: connected,
    help: 'disconnect your account and revoke {holder} access',
    adminOnly: false,
    operation: disconnect,
    readsUserView: true,
  },
  { name: 'whoami', provider: connected, help: 'show who you are at a provider', adminOnly: false, operation: whoami, readsUserView: true },
  { name: 'status', help: 'show your connected accounts', adminOnly: false, operation: status, readsUserView: true },
  { name: 'providers', help: 'list the registered providers', adminOnly: false, operation: providersList },
  { name: 'help', help: 'list these commands', adminOnly: false, showsAdminCommands: true, operation: help },
  { name: 'grants list', help: 'list the integrations you allowed to use your accounts', adminOnly: false, operation: grantsList },
  { name: 'grants revoke', help: "revoke an integration's access: `<client> [provider]`", adminOnly: false, operation: grantsRevoke },
  {
    name: 'provider add',
    help: 'register a provider with its client id and secret',
    adminOnly: true,
    form: providerAddForm,
    operation: audited('provider.add', addProvider),
  },
  {
    name: 'provider register',
    help: 'register a provider by dynamic client registration (RFC 7591)',
    adminOnly: true,
    form: providerRegisterForm,
    operation: audited('provider.register', registerProvider),
  },
  { name: 'provider list', help: 'list the registered providers and their settings', adminOnly: true, operation: listProviders },
  {
    name: 'provider edit',
    provider: registered,
    help: 'change a registered provider',
    adminOnly: true,
    form: providerEditForm,
    operation: audited('provider.edit', editProvider),
  },
  {
    name: 'provider remove',
    provider: registered,
    confirm: 'Users connected to it will no longer be able to use their tokens.',
    help: 'remove a provider (its users must reconnect if it comes back)',
    adminOnly: true,
    operation: audited('provider.remove', removeProvider),
  },
  {
    name: 'provider test',
    provider: registered,
    help: "check a provider's discovery and metadata",
    adminOnly: true,
    operation: audited('provider.test', testProvider),
  },
  {
    name: 'migrate providers',
    help: "copy the Apps host's providers to the standalone host",
    adminOnly: true,
    operation: audited('migrate.providers', migrateProviders),
  },
  {
    name: 'migrate users',
    help: "turn on copying each user's connections to the standalone host on their next use of the App",
    adminOnly: true,
    operation: audited('migrate.users', migrateUsers),
  },
  { name: 'migrate status', help: 'show how many providers and users are copied to the standalone host', adminOnly: true, operation: migrateStatus },
  { name: 'report', help: 'show the connected and broken users per provider, and the token API clients', adminOnly: true, operation: connectionReport },
  {
    name: 'client add',
    help: 'register an integration as a token API client (its credential is shown once)',
    adminOnly: true,
    operation: audited('client.add', clientAdd),
  },
  { name: 'client list', help: 'list the token API clients', adminOnly: true, operation: clientList },
  { name: 'client rotate', help: "replace a client's credential: `<client>`", adminOnly: true, operation: audited('client.rotate', clientRotate) },
  { name: 'client remove', help: 'remove a client and every grant to it: `<client>`', adminOnly: true, operation: audited('client.remove', clientRemove) },
  { name: 'client grants', help: "list a user's grants: `<user id>`", adminOnly: true, operation: clientGrants },
  {
    name: 'audit',
    help: 'show the latest audit entries: admin actions, setup and team sync repairs, refused forgeries',
    adminOnly: true,
    options: { provider: 'id', user: '@name', limit: 'N' },
    operation: auditTrailCommand,
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMANDS)[number]['name'];

/** `help` in a host's words: the users' commands, and the system admins' for an admin. */
export function helpText(isAdmin: boolean, wording: HelpWording): string {
  return renderHelp(COMMANDS, isAdmin, wording);
}

/** ['provider', 'edit'] for `provider edit`: a group and its action, or one word. */
export const commandWords = (spec: Pick<CommandSpec, 'name'>): string[] => spec.name.split(' ');
