/**
 * The Apps calls answered ahead of express: a POST to one of the call paths,
 * spelled exactly (no query, nothing to decode), with a plain UTF-8 body.
 * That is every call the Apps plugin makes; the bindings call comes on every
 * channel switch, and express's router and body-parser layers were a good
 * part of its CPU. The answer is the one the express app gives (the same JWT
 * check, refusal log and call answer, call_serving.ts; the body read and
 * parsed as express.json reads and parses it; the same bytes written), which
 * test/integration/apps_call_listener.test.ts holds request by request.
 * Anything else (another method or path, a compressed or non-UTF-8 body)
 * goes to the express app.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Deps, Handler } from '../calls/deps.js';
import { JWT_HEADER } from './jwt.js';
import { surfaceOfCall, type CallServing } from './call_serving.js';
import { countResponse } from '../../../metrics/request_counter.js';
import { plainUtf8, readPlainBody } from '../../../util/plain_body.js';

/** The body as express.json({ strict: false }) gives it: `{}` when empty, else JSON.parse's value; undefined when it is not JSON. */
function parsedBody(text: string): { value: unknown } | undefined {
  if (text.length === 0) return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

async function answer(deps: Deps, serving: CallServing, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  countResponse(deps.metrics, 'apps', res, surfaceOfCall('POST', path));
  const header = req.headers[JWT_HEADER];
  const caller = serving.callerOf(Array.isArray(header) ? header[0] : header, path, res);
  if (!caller) {
    req.resume();
    return;
  }
  const text = await readPlainBody(req, deps.config.bodyLimitBytes);
  if (text === 'too_large' || text === 'unreadable') return serving.refuseBody(path, text, res);
  const body = parsedBody(text);
  if (!body) return serving.refuseBody(path, 'not_json', res);
  await serving.answer(body.value, path, caller, res);
}

export function callListener(deps: Deps, routes: ReadonlyMap<string, Handler>, serving: CallServing, app: RequestListener): RequestListener {
  return (req, res) => {
    const path = req.url ?? '';
    if (req.method !== 'POST' || !routes.has(path) || !plainUtf8(req)) return app(req, res);
    answer(deps, serving, req, res, path).catch(() => {
      // answerCall maps every handler error to a call response; what is left is a write on a closed socket.
      if (!res.headersSent) serving.refuseBody(path, 'unreadable', res);
    });
  };
}
