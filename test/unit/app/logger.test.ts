import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryLogger } from '../../../src/log/logger.js';

describe('logger', () => {
  it('when fields name secrets, then their values are redacted at any depth', () => {
    const log = createMemoryLogger();
    log.info('x', { client_secret: 'cs', nested: { access_token: 'at', ok: 'visible' }, list: [{ refresh_token: 'rt' }], Authorization: 'Bearer b' });
    const line = log.lines[0]!;
    for (const secret of ['"cs"', '"at"', '"rt"', 'Bearer b']) assert.ok(!line.includes(secret), secret);
    assert.ok(line.includes('visible'));
  });

  it('when a registered secret appears inside a message or an error, then it is scrubbed', () => {
    const log = createMemoryLogger({ secrets: ['super-secret-value'] });
    log.warn('failed with super-secret-value', { error: new Error('key super-secret-value bad') });
    assert.ok(!log.lines[0]!.includes('super-secret-value'));
  });

  it('then each line is one JSON object with time, level and msg', () => {
    const log = createMemoryLogger();
    log.error('boom', { path: '/x' });
    const parsed = JSON.parse(log.lines[0]!);
    assert.equal(parsed.level, 'error');
    assert.equal(parsed.msg, 'boom');
    assert.equal(parsed.path, '/x');
  });
});
