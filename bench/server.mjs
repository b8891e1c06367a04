// @ts-check
/**
 * One benchmark server, run in its own plain node process (bench/servers.ts
 * forks it), so the load generator and the server each get a core:
 *   app      the whole App as `npm start` runs it, from dist/ (createService: JWT
 *            check, body parser, handler, one log line per call through the real
 *            logger, whose lines are written to nowhere)
 *   express  the framework's floor: a bare express 5 app, same settings as ours
 *            (no etag, no x-powered-by), answering the precomputed JSON
 *   express-json  the same plus what any JSON call handler must do: read and
 *            parse the body (express.json, our options) and serialize the
 *            answer (res.json of the parsed answer); not a budget, a yardstick
 *   express-form  the same for a slash command: the urlencoded body parsed as
 *            the standalone host's command route parses it (express.urlencoded,
 *            its options), the answer serialized with res.json
 *   node     the machine's floor: a bare node:http server answering it
 * Plain JavaScript, so no TypeScript loader sits in the measured process.
 * IPC: bench/server_ipc.mjs ({type:'start', responses} starts it).
 */
import express from 'express';
import { countLine, serveOverIpc } from './server_ipc.mjs';

async function appListener() {
  const { loadConfig } = await import('../dist/config/index.js');
  const { createLogger } = await import('../dist/log/logger.js');
  const { createService } = await import('../dist/service.js');
  const secret = process.env.BENCH_JWT_SECRET;
  const key = process.env.BENCH_ENCRYPTION_KEY;
  if (!secret || !key) throw new Error('BENCH_JWT_SECRET and BENCH_ENCRYPTION_KEY are needed');
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    APP_ROOT_URL: 'http://127.0.0.1:4000',
    APP_JWT_SECRET: secret,
    APP_ENCRYPTION_KEY: key,
    APP_LOG_LEVEL: 'info',
    APP_ALLOW_PRIVATE_NETWORK: 'true',
  });
  // The logger does all its work (redaction, secret scrubbing, JSON); only the write goes nowhere.
  const logger = createLogger({
    level: config.logLevel,
    secrets: [secret, ...config.encryptionKeys.map((/** @type {{key: Buffer}} */ k) => k.key.toString('base64'))],
    write: countLine,
  });
  // What a server of the Apps host listens with (the calls answered ahead of express), as npm start serves it.
  return createService(config, { logger }).listener;
}

/** The body parsers of the floors that read the body, with the options of the route they stand for. */
const PARSERS = {
  'express-json': () => express.json({ limit: 262144, strict: false, type: () => true }),
  // src/hosts/standalone/http/command_route.ts (COMMAND_BODY_LIMIT is 64 KiB).
  'express-form': () => express.urlencoded({ extended: false, limit: 65536, parameterLimit: 200, type: () => true }),
};

/**
 * @param {Record<string, string>} responses
 * @param {'express-json' | 'express-form' | undefined} parse parse the body with that floor's parser and serialize the answer
 */
function expressListener(responses, parse) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (parse) app.use(PARSERS[parse]());
  for (const [path, body] of Object.entries(responses)) {
    const parsed = JSON.parse(body);
    app.post(path, (req, res) => {
      if (!parse) res.type('application/json').send(body);
      else if (typeof req.body === 'object') res.json(parsed);
      else res.status(400).end();
    });
  }
  return app;
}

/** @param {Record<string, string>} responses */
function nodeListener(responses) {
  const bodies = new Map(Object.entries(responses).map(([path, body]) => [path, Buffer.from(body)]));
  return (/** @type {import('node:http').IncomingMessage} */ req, /** @type {import('node:http').ServerResponse} */ res) => {
    const body = bodies.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  };
}

const variant = process.argv[2];
const parse = variant === 'express-json' || variant === 'express-form' ? variant : undefined;
serveOverIpc(async (message) =>
  variant === 'app' ? appListener() : variant === 'node' ? nodeListener(message.responses) : expressListener(message.responses, parse),
);
