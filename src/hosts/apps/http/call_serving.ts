/**
 * How the Apps host answers a POST, whichever way it came (the express app,
 * app.ts, or the listener ahead of it, call_listener.ts): one JWT check, one
 * rate-limited refusal log, one answer per refusal, one call answer, and the
 * surface each path is counted under.
 */
import type { ServerResponse } from 'node:http';
import type { Deps, Handler } from '../calls/deps.js';
import { createJwtVerifier, type VerifiedCaller } from './jwt.js';
import { answerCall, type CallAnswer } from './call_route.js';
import { error } from '../protocol/responses.js';
import { auditedRefusalLog } from '../../../core/refusal_audit.js';
import type { RateLimitedLog } from '../../../log/rate_limited.js';
import { sendJson } from '../../../util/json_answer.js';
import type { Surface } from '../../../metrics/service_metrics.js';
import { CallPath } from '../protocol/paths.js';

/** Which surface a call path serves, for the request counts (a command's call path is named after it). */
export function surfaceOfCall(method: string | undefined, path: string): Surface {
  if (method !== 'POST') return 'static';
  if (path === CallPath.bindings) return 'bindings';
  if (path === CallPath.panel) return 'panel';
  if (path === CallPath.providerLookup) return 'lookup';
  if (path === CallPath.ping || path === CallPath.install) return 'lifecycle';
  if (path === CallPath.oauth2Connect || path === CallPath.oauth2Complete) return 'call';
  if (path.endsWith('/form')) return 'form';
  return 'command';
}

/** How every POST is answered, whichever of the two ways it came: one JWT check, one refusal log, one call answer. */
export interface CallServing {
  /**
   * The caller the call's JWT header names ({} without a JWT secret), or undefined when the JWT does not
   * verify: then the refusal is logged (rate-limited, audited) and answered 401 here.
   */
  callerOf(header: string | undefined, path: string, res: ServerResponse): VerifiedCaller | undefined;
  /** A body that could not be read or parsed: logged and answered 200 with the reason, as a call error. */
  refuseBody(path: string, problem: BodyRefusal, res: ServerResponse): void;
  answer: CallAnswer;
}

export type BodyRefusal = 'too_large' | 'not_json' | 'unreadable';

export function callServing(deps: Deps, routes: ReadonlyMap<string, Handler>): CallServing {
  const verify = deps.config.jwtSecret !== undefined ? createJwtVerifier(deps.config.jwtSecret) : undefined;
  // Anyone who reaches the App can send bad JWTs: their warn lines (and audit entries) are rate-limited.
  const refusedLog: RateLimitedLog = auditedRefusalLog({ logger: deps.logger, now: deps.now, audit: deps.audit });
  const bodyText: Record<BodyRefusal, string> = {
    too_large: `The call body is too large (at most ${deps.config.bodyLimitBytes} bytes).`,
    not_json: 'The call body is not valid JSON.',
    unreadable: 'The call body could not be read.',
  };
  return {
    callerOf(header, path, res) {
      if (!verify) return {};
      try {
        return verify(header);
      } catch (err) {
        refusedLog('call refused', { path: path.slice(0, 200), outcome: 'unauthorized', reason: err instanceof Error ? err.message : 'invalid JWT' });
        sendJson(res, 401, error('Unauthorized: the call is not signed by the Apps plugin.'));
        return undefined;
      }
    },
    refuseBody(path, problem, res) {
      // Body failures (bad JSON, too large) still answer 200 with a call response.
      deps.logger.info('call', { path: path.slice(0, 200), outcome: 'bad_input', reason: bodyText[problem] });
      sendJson(res, 200, error(bodyText[problem]));
    },
    answer: answerCall(deps, routes, refusedLog),
  };
}
