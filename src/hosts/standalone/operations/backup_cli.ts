/** Entry of `oauth2-connect backup` (bin/oauth2-connect.mjs runs its built JavaScript). */
import { runBackup } from './backup.js';

process.exitCode = await runBackup(process.argv.slice(2), { env: process.env, print: (text) => console.log(text) });
