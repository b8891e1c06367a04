/**
 * `oauth2-connect <command>` as an admin runs it beside the service: the
 * package's bin (bin/oauth2-connect.mjs, the built JavaScript in dist/) in a
 * child process with the service's environment.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/oauth2-connect.mjs', import.meta.url));

export interface CommandLineResult {
  code: number | null;
  /** stdout and stderr together, as the admin's terminal shows them. */
  output: string;
}

export function runCommandLine(args: string[], env: Record<string, string>): Promise<CommandLineResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
