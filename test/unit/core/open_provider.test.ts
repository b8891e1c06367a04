/**
 * Opening a provider's client secret: a frozen record (the standalone host's
 * kept provider list) is opened once per sealer and shared by every later
 * caller; a caller with another sealer opens it itself, so a record never
 * answers with a secret its sealer cannot open. A record that is not frozen,
 * or a secret that did not open, is opened at every call. The secret joins the
 * logger's redaction at every call, kept or not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCipherError } from '../../../packages/engine/src/crypto.js';
import { toProviderConfig, type StoredProvider } from '../../../src/core/provider_records.js';
import { openProvider } from '../../../src/core/providers.js';
import { clientSecretSlot } from '../../../src/core/seal_slots.js';
import type { SecretSealer } from '../../../src/core/secret_sealer.js';
import { appsSealer } from '../../../src/hosts/apps/store/sealer.js';
import { standaloneSealer } from '../../../src/hosts/standalone/db/sealer.js';
import { testSealer } from '../../support/standalone_db.js';

const cipher = testSealer();

/** A sealer that counts its opens, and refuses the next `failing` of them as a key problem would. */
function counted(inner: SecretSealer): SecretSealer & { opens: number; failing: number } {
  const sealer = {
    opens: 0,
    failing: 0,
    seal: inner.seal,
    open: (sealed: string, binding: Parameters<SecretSealer['open']>[1]) => {
      sealer.opens += 1;
      if (sealer.failing > 0) {
        sealer.failing -= 1;
        throw new TokenCipherError('unknown_key', 'gone', 'the key is not configured');
      }
      return inner.open(sealed, binding);
    },
  };
  return sealer;
}

/** A logger that keeps what it was asked to redact. */
function redaction(): { addSecrets: (...values: (string | undefined)[]) => void; added: (string | undefined)[] } {
  const added: (string | undefined)[] = [];
  return { added, addSecrets: (...values) => added.push(...values) };
}

function record(sealer: SecretSealer, secret: string): StoredProvider {
  const base: StoredProvider = {
    id: 'idp',
    display_name: 'IdP',
    preset: 'oidc',
    issuer: 'https://idp.example.com',
    client_id: 'client',
    auth: 'client_secret_basic',
    scopes: ['openid'],
    created_at: 1,
    updated_at: 1,
  };
  return { ...base, sealed_secret: sealer.seal(secret, clientSecretSlot(toProviderConfig(base, undefined))) };
}

describe('opening a provider', () => {
  it('when a frozen record is opened again and again with one sealer, then its secret is opened once and the config shared', () => {
    const sealer = counted(standaloneSealer(cipher));
    const logger = redaction();
    const stored = Object.freeze(record(sealer, 'secret-1'));
    const configs = [1, 2, 3].map(() => openProvider(stored, { sealer, logger }));
    assert.equal(sealer.opens, 1);
    assert.deepEqual(
      configs.map((c) => c.client_secret),
      ['secret-1', 'secret-1', 'secret-1'],
    );
    assert.ok(configs.every((c) => c === configs[0]));
    assert.ok(Object.isFrozen(configs[0]), 'a caller cannot change what the others are answered');
  });

  it('when a frozen record is opened with another sealer, then that sealer opens it itself', () => {
    const first = counted(standaloneSealer(cipher));
    const second = counted(standaloneSealer(cipher));
    const stored = Object.freeze(record(first, 'secret-2'));
    openProvider(stored, { sealer: first, logger: redaction() });
    assert.equal(openProvider(stored, { sealer: second, logger: redaction() }).client_secret, 'secret-2');
    assert.equal(openProvider(stored, { sealer: second, logger: redaction() }).client_secret, 'secret-2');
    assert.deepEqual([first.opens, second.opens], [1, 1]);
  });

  it("when a frozen record opened by one host's sealer is opened with the other host's, then it does not open there", () => {
    const standalone = standaloneSealer(cipher);
    const stored = Object.freeze(record(standalone, 'secret-3'));
    assert.equal(openProvider(stored, { sealer: standalone, logger: redaction() }).client_secret, 'secret-3');
    assert.throws(() => openProvider(stored, { sealer: appsSealer(cipher), logger: redaction() }), TokenCipherError);
  });

  it('when a record is not frozen, then it is opened at every call', () => {
    const sealer = counted(standaloneSealer(cipher));
    const stored = record(sealer, 'secret-4');
    for (let i = 0; i < 3; i++) assert.equal(openProvider(stored, { sealer, logger: redaction() }).client_secret, 'secret-4');
    assert.equal(sealer.opens, 3);
  });

  it('when a frozen record does not open, then it throws as before and is opened again at the next call', () => {
    const sealer = counted(standaloneSealer(cipher));
    const logger = redaction();
    const stored = Object.freeze(record(sealer, 'secret-5'));
    sealer.failing = 2;
    assert.throws(() => openProvider(stored, { sealer, logger }), TokenCipherError);
    assert.throws(() => openProvider(stored, { sealer, logger }), TokenCipherError);
    assert.deepEqual(logger.added, [], 'nothing to redact from a secret that did not open');
    assert.equal(openProvider(stored, { sealer, logger }).client_secret, 'secret-5');
    assert.equal(openProvider(stored, { sealer, logger }).client_secret, 'secret-5');
    assert.equal(sealer.opens, 3, 'two refusals, then opened once and kept');
  });

  it('when a kept config is answered, then its secret joins the redaction at every call', () => {
    const sealer = counted(standaloneSealer(cipher));
    const logger = redaction();
    const stored = Object.freeze(record(sealer, 'secret-6'));
    for (let i = 0; i < 3; i++) openProvider(stored, { sealer, logger });
    assert.deepEqual(logger.added, ['secret-6', 'secret-6', 'secret-6']);
  });

  it('when a provider is a public client, then there is nothing to open', () => {
    const sealer = counted(standaloneSealer(cipher));
    const { sealed_secret: _sealed, ...stored } = record(sealer, 'unused');
    const config = openProvider(Object.freeze({ ...stored, auth: 'none' as const }), { sealer, logger: redaction() });
    assert.equal(config.client_secret, undefined);
    assert.equal(sealer.opens, 0);
  });
});
