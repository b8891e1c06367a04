/** Entry of `oauth2-connect rotate-key` (bin/oauth2-connect.mjs runs its built JavaScript). */
import { runRotateKey } from './rotate_key.js';

process.exitCode = await runRotateKey(process.argv.slice(2), { env: process.env, print: (text) => console.log(text) });
