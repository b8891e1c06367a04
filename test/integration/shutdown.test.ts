import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Starts src/main.ts as `npm start` would run it, and waits for its "listening" line. */
async function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 300 && !output.includes('"listening"') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  return { child, exited, output: () => output };
}

describe('npm start', () => {
  it('when a variable is invalid, then it stops at once naming the variable', async () => {
    const { exited, output } = await startMain({ PORT: 'x', APP_DATA_DIR: mkdtempSync(join(tmpdir(), 'main-')) });
    assert.equal(await exited, 1);
    assert.match(output(), /Invalid configuration: PORT must be a whole number/);
    assert.doesNotMatch(output(), /at .*\.ts:\d+/);
  });

  it('when SIGTERM arrives during a call, then the call finishes and the process exits within 5 s', async () => {
    // A slow Mattermost: the call's KV read takes 1.5 s.
    const slow = createServer((_req, res) => setTimeout(() => res.end('{}'), 1500));
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const mm = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const port = 20000 + Math.floor(Math.random() * 20000);
    const { child, exited, output } = await startMain({ PORT: String(port), APP_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    try {
      assert.match(output(), /"listening"/);
      const providers = {
        v: 1,
        providers: [{ id: 'gh', display_name: 'GitHub', preset: 'github', client_id: 'c', auth: 'none', scopes: [], created_at: 0, updated_at: 0 }],
      };
      const body = {
        context: {
          mattermost_site_url: mm,
          acting_user: { id: 'u1' },
          acting_user_access_token: 't',
          oauth2: { data: providers, user: { v: 1, connections: { gh: { label: 'me', sub: '1', since: 1 } }, flows: [] } },
        },
      };
      const inFlight = fetch(`http://127.0.0.1:${port}/status`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      await new Promise((r) => setTimeout(r, 300));
      const sentAt = Date.now();
      child.kill('SIGTERM');
      const answer = (await (await inFlight).json()) as { type: string };
      assert.equal(answer.type, 'ok');
      assert.equal(await exited, 0);
      assert.ok(Date.now() - sentAt < 5000);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/ping`, { method: 'POST', body: '{}' }));
    } finally {
      // A failed assertion must not leave the App or the slow server holding the test process open.
      child.kill('SIGKILL');
      slow.close();
    }
  });
});
