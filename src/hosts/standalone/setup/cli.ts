/**
 * Entry of `oauth2-connect setup`: the installation is stored in the service's own
 * SQL database (the same file or DATABASE_URL and the same sealing key as
 * `npm start`), so the running service reads what setup wrote.
 */
import { createInterface } from 'node:readline';
import { openSetupStore as openStore } from './setup_store.js';
import { runSetupCli } from './setup_cli.js';

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
