#!/usr/bin/env node
// The package's command: runs the built JavaScript in dist/, so a production
// install (`npm ci --omit=dev`, with dist/ built on a build machine or shipped
// in the package) needs no development tool. In a checkout, `npm run setup`
// and `npm run dev` run the TypeScript sources instead.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const COMMANDS = {
  start: { file: 'dist/main.js', about: 'run the service (the configuration comes from the environment, see the README)' },
  setup: {
    file: 'dist/hosts/standalone/setup/cli.js',
    about: 'create or check what the standalone host needs in Mattermost: setup [--check | --sync | --remove] [--bot-role regular|admin] [--force]',
  },
  backup: {
    file: 'dist/hosts/standalone/operations/backup_cli.js',
    about: 'copy the SQLite database while the service runs: backup <file> [--force] (PostgreSQL: prints the pg_dump commands)',
  },
  restore: {
    file: 'dist/hosts/standalone/operations/restore_cli.js',
    about: 'put a backup back as the SQLite database, with the service stopped: restore <file>',
  },
  'rotate-key': {
    file: 'dist/hosts/standalone/operations/rotate_key_cli.js',
    about: 'seal every stored secret again under APP_ENCRYPTION_KEY while the service runs: rotate-key [--check] [--batch-size N]',
  },
};

const HELP = `usage: oauth2-connect <command> [options]
${Object.entries(COMMANDS)
  .map(([name, { about }]) => `  ${name.padEnd(10)} ${about}`)
  .join('\n')}
  help       this text; \`oauth2-connect <command> --help\` explains a command's options`;

const [command, ...args] = process.argv.slice(2);
if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
  console.log(HELP);
} else if (!Object.hasOwn(COMMANDS, command)) {
  console.error(`oauth2-connect: unknown command "${command}"\n${HELP}`);
  process.exitCode = 2;
} else {
  const file = join(root, COMMANDS[command].file);
  if (!existsSync(file)) {
    console.error(
      `oauth2-connect: ${COMMANDS[command].file} is missing: the service is not built. ` +
        `Build it with \`npm run build\` (needs the development dependencies, e.g. on a build machine) and copy dist/ next to package.json.`,
    );
    process.exitCode = 2;
  } else {
    process.setSourceMapsEnabled(true);
    // The module reads its options from process.argv as if it had been started directly.
    process.argv = [process.argv[0], file, ...args];
    await import(pathToFileURL(file).href);
  }
}
