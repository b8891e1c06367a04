/**
 * Every `/oauth2` command, typed as an admin or a user, run through the rules of
 * the webapp's command parser (test/support/apps_rules, written from
 * app_command_parser.ts) against the App's real bindings, after the plugin's
 * cleaning. A recording call function stands in for the plugin's call endpoint.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeBindings, type BindingInput } from '../../../src/hosts/apps/protocol/bindings.js';
import { CallPath } from '../../../src/hosts/apps/protocol/paths.js';
import type { Call, CallResponse } from '../../../src/hosts/apps/protocol/types.js';
import { cleanCommandBindings } from '../../support/apps_rules/clean_form.js';
import { executeCommand, type Outcome } from '../../support/apps_rules/execute_command.js';

const providers = [
  { id: 'github', display_name: 'GitHub' },
  { id: 'corp', display_name: 'Corp SSO' },
];

interface Recorded {
  call: Call;
  values: Record<string, unknown>;
  raw_command?: string;
}

async function type(command: string, input: BindingInput): Promise<{ outcome: Outcome; calls: Recorded[] }> {
  const calls: Recorded[] = [];
  const bindings = cleanCommandBindings(computeBindings(input).find((b) => b.location === '/command')!.bindings!);
  const outcome = await executeCommand(command, bindings, async (call, values, extras): Promise<CallResponse> => {
    calls.push({ call, values, ...(extras?.raw_command && { raw_command: extras.raw_command }) });
    return { type: 'ok', text: 'done' };
  });
  return { outcome, calls };
}

const admin: BindingInput = { isAdmin: true, providers, connections: {} };

async function expectCall(command: string, input: BindingInput, path: string, values: Record<string, unknown> = {}): Promise<void> {
  const { outcome, calls } = await type(command, input);
  assert.equal(outcome.kind, 'answer', `${command}: ${JSON.stringify(outcome)}`);
  assert.equal(calls.length, 1, `${command} makes one call`);
  assert.equal(calls[0]!.call.path, path, command);
  assert.deepEqual(calls[0]!.values, values, command);
  assert.equal(calls[0]!.raw_command, command);
}

describe('typed /oauth2 commands under the webapp parser rules', () => {
  it('when an admin types provider add or provider register, then the form call runs (no source-only form)', async () => {
    await expectCall('/oauth2 provider add', admin, CallPath.providerAddForm);
    await expectCall('/oauth2 provider register', admin, CallPath.providerRegisterForm);
    await expectCall('/OAuth2 Provider ADD', admin, CallPath.providerAddForm);
  });

  it('when an admin types list, edit, test, remove and report, then each resolves to its call with the provider as an option', async () => {
    const github = { provider: { label: 'GitHub', value: 'github' } };
    await expectCall('/oauth2 provider list', admin, CallPath.providerList);
    await expectCall('/oauth2 provider edit github', admin, CallPath.providerEditForm, github);
    await expectCall('/oauth2 provider test --provider github', admin, CallPath.providerTest, github);
    await expectCall('/oauth2 provider remove github', admin, CallPath.providerRemove, github);
    await expectCall('/oauth2 provider remove github --confirm', admin, CallPath.providerRemove, { ...github, confirm: true });
    await expectCall('/oauth2 provider remove --confirm true github', admin, CallPath.providerRemove, { ...github, confirm: true });
    await expectCall('/oauth2 report', admin, CallPath.report);
  });

  it('when an admin leaves out a required provider or names an unknown one, then the parser says so and nothing is called', async () => {
    for (const [command, error] of [
      ['/oauth2 provider edit', /Required fields missing: `provider`/],
      ['/oauth2 provider test nope', /Unknown option for field `provider`: `nope`/],
      ['/oauth2 provider', /You must select a subcommand/],
    ] as const) {
      const { outcome, calls } = await type(command, admin);
      assert.equal(outcome.kind, 'parser_error', command);
      assert.match((outcome as { error: string }).error, error);
      assert.equal(calls.length, 0);
    }
  });

  it('when a user types connect with and without a provider, then connect is called (the only candidate fills in)', async () => {
    const user: BindingInput = { isAdmin: false, providers, connections: {} };
    await expectCall('/oauth2 connect corp', user, CallPath.connect, { provider: { label: 'Corp SSO', value: 'corp' } });
    await expectCall('/oauth2 connect', user, CallPath.connect);
    const one: BindingInput = { isAdmin: false, providers, connections: { github: {} } };
    await expectCall('/oauth2 connect', one, CallPath.connect, { provider: { label: 'Corp SSO', value: 'corp' } });
    await expectCall('/oauth2 whoami', one, CallPath.whoami, { provider: { label: 'GitHub', value: 'github' } });
    await expectCall('/oauth2 disconnect github', one, CallPath.disconnect, { provider: { label: 'GitHub', value: 'github' } });
    for (const word of ['status', 'providers', 'help']) await expectCall(`/oauth2 ${word}`, user, `/${word}`);
  });

  it('when no provider is registered, then connect still runs (the empty select is dropped by the plugin)', async () => {
    await expectCall('/oauth2 connect', { isAdmin: false, providers: [], connections: {} }, CallPath.connect);
  });
});
