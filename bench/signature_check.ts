/**
 * The CPU of the one step no verifying service can skip: reading a trigger id
 * and checking its P-256 signature, with the service's own functions, measured
 * in the bench's process in the same run as the floors. The standalone table
 * prints it beside the budget: on Node 24 the express floors cost a third of
 * what they cost on Node 20 and 22, while the signature check costs the same
 * (OpenSSL's), so a ratio to the floor says less about the service's own work
 * there (bench/README.md, "The standalone status command on Node 24").
 */
import { parseTrigger, signatureValid } from '../src/hosts/standalone/trigger/signed_trigger.js';
import { publicKeyFromBase64 } from '../src/hosts/standalone/trigger/signing_key.js';
import type { TriggerSigner } from '../test/support/standalone/trigger_signer.js';
import { median } from './load.js';

const TRIGGERS = 500;
const ROUNDS = 5;

/** CPU µs per trigger read and verified: the median of ROUNDS passes over TRIGGERS triggers signed for the user. */
export function signatureCheckUs(signer: TriggerSigner, userId: string): number {
  const key = publicKeyFromBase64(signer.publicKeyBase64);
  const triggers = Array.from({ length: TRIGGERS }, () => signer.sign(userId));
  const pass = (): number => {
    const started = process.cpuUsage();
    for (const raw of triggers) {
      const trigger = parseTrigger(raw);
      if (!trigger || !signatureValid(trigger, key)) throw new Error('a trigger signed for the bench did not verify');
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / TRIGGERS;
  };
  pass(); // warm-up
  return median(Array.from({ length: ROUNDS }, pass));
}
