/**
 * `oauth2-connect <command>` runs the built JavaScript of an entry in src/
 * (bin/oauth2-connect.mjs). Each command it names must have that entry, so a
 * moved or renamed file fails here rather than in an admin's terminal after
 * a build; and the help lists every command.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/oauth2-connect.mjs`;

it('when the package command is read, then every command it runs has its entry in src/, and help names each one', () => {
  const commands = [...readFileSync(BIN, 'utf8').matchAll(/^\s+'?([\w-]+)'?: \{\s+file: 'dist\/([\w/]+)\.js'/gm)].map(([, name, file]) => ({
    name: name!,
    file: file!,
  }));
  assert.deepEqual(
    commands.map((c) => c.name),
    ['start', 'setup', 'backup', 'restore', 'rotate-key'],
  );
  for (const { name, file } of commands) assert.ok(existsSync(`${ROOT}src/${file}.ts`), `${name}: src/${file}.ts exists`);
  const help = execFileSync(process.execPath, [BIN, 'help'], { encoding: 'utf8' });
  for (const { name } of commands) assert.match(help, new RegExp(`^  ${name} `, 'm'));
});

it('when an unknown command is given, then it exits 2 naming it and prints the help', () => {
  let failure: { status?: number; stderr?: string } | undefined;
  try {
    execFileSync(process.execPath, [BIN, 'rotate-keys'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    failure = error as { status?: number; stderr?: string };
  }
  assert.equal(failure?.status, 2);
  assert.match(failure?.stderr ?? '', /unknown command "rotate-keys"[\s\S]*rotate-key /);
});
