/**
 * Entry of `npm run setup`. The lead wires the SQL installation store here
 * (openStore): that is the only line that changes when the store lands.
 */
import { createInterface } from 'node:readline';
import type { Config } from '../../../config.js';
import { runSetupCli, type OpenedStore } from './setup_cli.js';

async function openStore(_config: Readonly<Config>): Promise<OpenedStore> {
  throw new Error('the SQL installation store is not wired into setup yet (src/hosts/standalone/setup/cli.ts openStore)');
}

/** Reads one line without echoing it, when stdin is a terminal. */
function askToken(): Promise<string | undefined> {
  if (!process.stdin.isTTY) return Promise.resolve(undefined);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const echo = rl as unknown as { _writeToOutput(text: string): void };
  return new Promise((resolve) => {
    rl.question('System admin personal access token (not shown, not stored): ', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    echo._writeToOutput = () => undefined; // after the prompt is printed: hide what is typed
  });
}

process.exitCode = await runSetupCli(process.argv.slice(2), {
  env: process.env,
  openStore,
  askToken,
  print: (text) => console.log(text),
});
