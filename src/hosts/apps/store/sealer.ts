/**
 * The Apps host's sealer: the project's bound cipher with every binding under
 * the App id, the one place this host applies its seal scope. Values sealed
 * before the standalone host existed carry the same scope, so they still open.
 */
import { scopedSealer, type SecretSealer } from '../../../core/secret_sealer.js';
import { APP_ID } from '../protocol/manifest.js';

export const APPS_SEAL_SCOPE = APP_ID;

export const appsSealer = (cipher: SecretSealer): SecretSealer => scopedSealer(cipher, APPS_SEAL_SCOPE);
