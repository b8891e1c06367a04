/**
 * The `/oauth2` commands typed as text, under the webapp command parser's rules
 * (test/support/apps_rules), against the bindings and call endpoint of the fake
 * or the real Apps plugin: what an admin and a user meet in the message box.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallResponse, Form } from '../../src/hosts/apps/protocol/types.js';
import type { Outcome } from '../support/apps_rules/execute_command.js';
import type { ScenarioUser } from './backend.js';
import { textOf, typeCommand } from './commands.js';
import { PROVIDER_ID, registerTestProvider } from './steps.js';
import { startWorld, type World } from './world.js';
import { onAppsHost } from './hosts/index.js';

let world: World;
let tina: ScenarioUser;

const answerOf = (o: Outcome): CallResponse => {
  assert.equal(o.kind, 'answer', JSON.stringify(o));
  return (o as { response: CallResponse }).response;
};
const formOf = (o: Outcome): Form => {
  assert.equal(o.kind, 'modal', JSON.stringify(o));
  return (o as { form: Form }).form;
};
const asAdmin = (command: string) => typeCommand(world.backend, world.backend.admin, command);

onAppsHost(() =>
  describe(`typed /oauth2 commands (${process.env.SCENARIO_BACKEND ?? 'fake'} backend)`, () => {
    before(async () => {
      world = await startWorld();
      tina = await world.backend.createUser(`tina${Date.now() % 100000}`);
    });
    after(() => world?.close());

    it('when an admin types provider add and provider register, then each opens its form with a submit and the redirect URI', async () => {
      for (const [command, title] of [
        ['/oauth2 provider add', /Add/],
        ['/oauth2 provider register', /dynamic registration/],
      ] as const) {
        const form = formOf(await asAdmin(command));
        assert.match(form.title ?? '', title);
        assert.ok(form.submit?.path, `${command}: the form has a submit`);
        assert.ok(
          form.fields?.some((f) => f.type === 'markdown' && f.description?.includes(world.completeUrl)),
          command,
        );
      }
    });

    it('when an admin types list, test, edit and remove with the provider as an argument, then each answers', async () => {
      const r = await registerTestProvider(world);
      assert.equal(r.type, 'ok', textOf(r));
      assert.match(textOf(answerOf(await asAdmin('/oauth2 provider list'))), /`idp`/);
      assert.match(textOf(answerOf(await asAdmin(`/oauth2 provider test ${PROVIDER_ID}`))), /Test IdP/);
      const edit = formOf(await asAdmin(`/oauth2 provider edit ${PROVIDER_ID}`));
      assert.equal(edit.fields?.find((f) => f.name === 'display_name')?.value, 'Test IdP');
      assert.match(textOf(answerOf(await asAdmin(`/oauth2 provider remove ${PROVIDER_ID}`))), /Confirm with `\/oauth2 provider remove idp --confirm true`/);
      assert.match(textOf(answerOf(await asAdmin('/oauth2 report'))), /Connections per provider/);
    });

    it('when a user types connect with and without the provider, status, providers and help, then each answers', async () => {
      for (const command of ['/oauth2 connect', `/oauth2 connect ${PROVIDER_ID}`]) {
        const answer = answerOf(await typeCommand(world.backend, tina, command));
        assert.equal(answer.type, 'ok', `${command}: ${textOf(answer)}`);
        assert.match(String((answer as { data?: { connect_url?: string } }).data?.connect_url), /\/oauth2\/remote\/connect/);
      }
      assert.match(textOf(answerOf(await typeCommand(world.backend, tina, '/oauth2 status'))), /not connected/);
      assert.match(textOf(answerOf(await typeCommand(world.backend, tina, '/oauth2 providers'))), /Test IdP/);
      assert.equal(answerOf(await typeCommand(world.backend, tina, '/oauth2 help')).type, 'ok');
      const denied = await typeCommand(world.backend, tina, '/oauth2 provider add');
      assert.equal(denied.kind, 'parser_error', 'a user is not offered the admin commands');
    });

    it('when an admin confirms the removal on the command line, then the provider is removed', async () => {
      assert.equal(answerOf(await asAdmin(`/oauth2 provider remove ${PROVIDER_ID} --confirm`)).type, 'ok');
      assert.doesNotMatch(textOf(answerOf(await asAdmin('/oauth2 provider list'))), /`idp`/);
    });
  }),
);
