/**
 * The core's command list is the one place a command is declared: the
 * standalone host's subcommand table and admin dialogs, the Apps host's
 * bindings and call routes, and `help` on both hosts are derived from it.
 * Each surface is derived here and compared with the list, so a command that
 * one surface leaves out (or one a surface offers that the list does not
 * have) fails.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, commandWords, helpText, type CommandSpec } from '../../../src/core/commands.js';
import { APPS_WORDING, commandUsage, helpOf, STANDALONE_WORDING } from '../../../src/core/info.js';
import { routes } from '../../../src/hosts/apps/calls/routes.js';
import { computeBindings, type BindingInput } from '../../../src/hosts/apps/protocol/bindings.js';
import { CallPath } from '../../../src/hosts/apps/protocol/paths.js';
import type { Binding } from '../../../src/hosts/apps/protocol/types.js';
import { createServiceTables } from '../../../src/hosts/standalone/http/router.js';

const SPECS: readonly CommandSpec[] = COMMANDS;
const names = (specs: readonly CommandSpec[]) => specs.map((s) => s.name);
const userNames = names(SPECS.filter((s) => !s.adminOnly));
const firstWords = (list: string[]) => [...new Set(list.map((name) => name.split(' ')[0]))];

/** Every command is offered: one provider connected, one not. */
const everything = (isAdmin: boolean): BindingInput => ({
  isAdmin,
  providers: [
    { id: 'github', display_name: 'GitHub' },
    { id: 'corp', display_name: 'Corp SSO' },
  ],
  connections: { github: {} },
});

/** The `/oauth2` subcommand bindings as command names ('provider edit'), each with its binding. */
function boundCommands(input: BindingInput): Map<string, Binding> {
  const base = computeBindings(input).find((b) => b.location === '/command')?.bindings?.[0];
  const found = new Map<string, Binding>();
  const walk = (bindings: Binding[], prefix: string[]) => {
    for (const b of bindings) {
      const words = [...prefix, b.label ?? ''];
      if (b.bindings) walk(b.bindings, words);
      else found.set(words.join(' '), b);
    }
  };
  walk(base?.bindings ?? [], []);
  return found;
}

describe('the core command list', () => {
  it('when the standalone tables are derived, then each command has a subcommand under its first word, and nothing else is listed', () => {
    const { subcommands, dialogs } = createServiceTables();
    const listed = [...subcommands.entries()].filter(([, s]) => !s.hidden).map(([name]) => name);
    assert.deepEqual(listed, firstWords(names(SPECS)));
    const changes = SPECS.filter((s) => s.adminOnly && (s.form !== undefined || s.confirm !== undefined));
    const providerDialogs = [...dialogs.keys()].filter((purpose) => purpose.startsWith('provider.'));
    assert.deepEqual(
      providerDialogs,
      names(changes).map((name) => commandWords({ name }).join('.')),
      'each change opens its dialog',
    );
  });

  it('when the Apps bindings are derived for an admin, then they are the list, in its order, each described by its help', () => {
    const bound = boundCommands(everything(true));
    assert.deepEqual([...bound.keys()], names(SPECS));
    for (const spec of SPECS) {
      const description = bound.get(spec.name)?.description ?? '';
      assert.ok(description.toLowerCase().startsWith(helpOf(spec, APPS_WORDING).toLowerCase()), `${spec.name}: "${description}"`);
    }
  });

  it("when the Apps bindings are derived for a user, then they are the users' commands only", () => {
    assert.deepEqual([...boundCommands(everything(false)).keys()], userNames);
  });

  it('when a binding is called, then the Apps host routes its path (and the form it opens submits to a routed path)', () => {
    for (const [name, binding] of boundCommands(everything(true))) {
      const call = binding.submit ?? binding.form?.submit;
      assert.ok(call && routes.has(call.path), `${name} calls ${call?.path}, which has no route`);
      const spec = SPECS.find((s) => s.name === name);
      if (spec?.adminOnly && spec.form) assert.ok(routes.has(call.path.replace(/\/form$/, '')), `${name}'s form submits to a route`);
    }
    for (const path of Object.values(CallPath)) assert.ok(routes.has(path), `${path} (CallPath) has no route`);
  });

  it("when help is derived, then it has one line per command, the admins' only for an admin", () => {
    for (const wording of [APPS_WORDING, STANDALONE_WORDING]) {
      const [users = '', admins = ''] = helpText(true, wording).split('System admins:');
      for (const spec of SPECS) {
        const line = `- \`${commandUsage(spec)}\`: ${helpOf(spec, wording)}`;
        assert.equal((spec.adminOnly ? admins : users).split('\n').filter((l) => l === line).length, 1, `${spec.name} in help`);
      }
      const lines = helpText(false, wording)
        .split('\n')
        .filter((l) => l.startsWith('- '));
      assert.deepEqual(
        lines.map((l) => /`\/oauth2 ([a-z ]+?)(?: [<[]provider[>\]])?`/.exec(l)?.[1]),
        userNames,
      );
    }
  });
});
