/** Entry of `oauth2-connect restore` (bin/oauth2-connect.mjs runs its built JavaScript). */
import { runRestore } from './restore.js';

process.exitCode = await runRestore(process.argv.slice(2), { env: process.env, print: (text) => console.log(text) });
