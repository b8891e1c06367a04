/**
 * Errors are logged by name and a safe message (a parse
 * error's message quotes the text it parsed, which may be decrypted data),
 * and client secrets and tokens are redacted by value once the App holds them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MAX_SECRETS, createMemoryLogger } from '../../../src/log/logger.js';
import { mapError } from '../../../src/hosts/apps/calls/error_mapper.js';
import { createTokenCipher } from '../../../packages/engine/src/crypto.js';
import { TokenStore } from '../../../src/hosts/apps/store/token_store.js';
import type { AppsPluginClient } from '../../../packages/driver/src/apps_client.js';

const DECRYPTED = 'gho_decrypted-token-value-4242';

function parseErrorOver(text: string): SyntaxError {
  try {
    JSON.parse(text);
  } catch (err) {
    return err as SyntaxError;
  }
  throw new Error('expected a parse error');
}

describe('logging errors and secrets safely', () => {
  it('when a parse error over decrypted data is logged, then its name is kept and the quoted data is not', () => {
    const err = parseErrorOver(`${DECRYPTED} trailing`);
    assert.ok(err.message.includes('gho_'), 'Node quotes the parsed text in the message (the reason for this rule)');
    const log = createMemoryLogger();
    log.warn('token unreadable', { error: err });
    assert.ok(!log.lines[0]!.includes('gho_'), log.lines[0]);
    assert.match(log.lines[0]!, /"name":"SyntaxError"/);
  });

  it('when an unexpected parse error reaches the error mapper, then the log fields hold its name and no quoted data', () => {
    const mapped = mapError(parseErrorOver(`${DECRYPTED}!`));
    assert.equal(mapped.code, 'internal_error');
    assert.ok(!JSON.stringify(mapped.log).includes('gho_'), JSON.stringify(mapped.log));
    assert.ok(!JSON.stringify(mapped.response).includes('gho_'));
  });

  it('when a stored value decrypts to something that is not a token set, then the error does not quote it', async () => {
    const cipher = createTokenCipher({ keys: [{ id: 'k1', key: randomBytes(32) }], currentKeyId: 'k1' });
    const slot = { kind: 'token', provider_id: 'gh', user_id: 'u1' } as const;
    const kv = { kvGet: async () => ({ v: 1, s: cipher.seal(`${DECRYPTED} not json`, slot) }) } as unknown as AppsPluginClient;
    await assert.rejects(new TokenStore(kv, cipher).load('gh', slot), (err: Error) => err.name === 'TokenCipherError' && !err.message.includes('gho_'));
  });

  it('when a token or client secret is registered, then it is scrubbed from every later line, and the registry stays bounded', () => {
    const log = createMemoryLogger();
    log.addSecrets(DECRYPTED, undefined, 'short');
    log.info(`request with ${DECRYPTED}`, { detail: `Bearer ${DECRYPTED}`, error: new Error(`bad ${DECRYPTED}`) });
    assert.ok(!log.lines[0]!.includes(DECRYPTED), log.lines[0]);
    for (let i = 0; i < MAX_SECRETS + 5; i += 1) log.addSecrets(`filler-secret-${i}`);
    log.info(`first filler-secret-0, last filler-secret-${MAX_SECRETS + 4}`);
    assert.ok(!log.lines[1]!.includes(`filler-secret-${MAX_SECRETS + 4}`), 'the newest values are kept');
  });

  it('when a known value is registered again between lines (a token served at every request), then it stays scrubbed and is the last to go', () => {
    const log = createMemoryLogger();
    log.addSecrets('served-token-value');
    for (let i = 0; i < MAX_SECRETS - 1; i += 1) log.addSecrets(`filler-secret-${i}`);
    log.info('a line in between');
    log.addSecrets('served-token-value');
    log.info('served served-token-value');
    assert.ok(!log.lines[1]!.includes('served-token-value'), log.lines[1]);
    log.addSecrets('one-more-secret');
    log.info('served-token-value filler-secret-0 one-more-secret');
    assert.ok(!log.lines[2]!.includes('served-token-value'), 'registered again, so not the oldest');
    assert.ok(!log.lines[2]!.includes('one-more-secret'));
    assert.ok(log.lines[2]!.includes('filler-secret-0'), 'the oldest went');
  });

  it('when whoami loads a token, then the token store registers its values with the logger', async () => {
    const cipher = createTokenCipher({ keys: [{ id: 'k1', key: randomBytes(32) }], currentKeyId: 'k1' });
    const slot = { kind: 'token', provider_id: 'gh', user_id: 'u1' } as const;
    const tokens = { access_token: DECRYPTED, refresh_token: 'refresh-value-123456', token_type: 'bearer' };
    const kv = { kvGet: async () => ({ v: 1, s: cipher.seal(JSON.stringify(tokens), slot) }) } as unknown as AppsPluginClient;
    const log = createMemoryLogger();
    await new TokenStore(kv, cipher, (t) => log.addSecrets(t.access_token, t.refresh_token)).load('gh', slot);
    log.warn(`provider said: ${DECRYPTED} / refresh-value-123456`);
    assert.ok(!log.lines[0]!.includes(DECRYPTED) && !log.lines[0]!.includes('refresh-value-123456'), log.lines[0]);
  });
});
