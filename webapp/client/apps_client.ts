// Calls the App through the Apps plugin's call endpoint, the only way this
// plugin reaches it. Every outcome, transport failures included, comes back as
// a CallResponse so callers handle one shape.
import { APP_ID, APPS_CALL_PATH } from '../manifest.js';
import type { AppCall, CallRequest, CallResponse, FormValues } from '../wire_types.js';
import { sessionPostOptions } from './session_fetch.js';
import { trimTrailingSlashes } from '../../src/util/trim_slashes.js';

/** Where a call comes from: the host's site URL and the user's current place. */
export interface CallOrigin {
  siteURL: string;
  location: string;
  channelId: string;
  teamId: string;
}

export const Messages = {
  notInstalled: 'The OAuth2 Connect app is not installed or the Apps plugin is disabled.',
  sessionExpired: 'Your Mattermost session has expired. Reload the page and sign in again.',
  forbidden: 'Mattermost refused the call (HTTP 403). Reload the page and try again.',
  unreachable: 'Could not reach the Mattermost server. Check your connection and try again.',
  badResponse: 'The Apps plugin sent an answer this panel cannot read.',
} as const;

export function buildCallRequest(origin: CallOrigin, call: AppCall, values: FormValues = {}, selectedField?: string): CallRequest {
  return {
    path: call.path,
    expand: call.expand ?? {},
    ...(call.state === undefined ? {} : { state: call.state }),
    values,
    context: {
      app_id: APP_ID,
      location: origin.location,
      channel_id: origin.channelId,
      team_id: origin.teamId,
      user_agent: 'webapp',
    },
    ...(selectedField ? { selected_field: selectedField } : {}),
  };
}

/** The message for a call endpoint that answered with an HTTP error status. */
export function httpErrorMessage(status: number, body: string): string {
  if (status === 404) return Messages.notInstalled;
  if (status === 401) return Messages.sessionExpired;
  if (status === 403) return Messages.forbidden;
  const detail = errorDetail(body);
  return `The Apps plugin answered HTTP ${status}${detail ? `: ${detail}` : '.'}`;
}

// Mattermost error bodies are JSON ({message} or {error}); keep them short.
function errorDetail(body: string): string {
  let text = body.trim();
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    if (typeof message === 'string') text = message;
  } catch {
    // Not JSON: show the raw text.
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function toCallResponse(parsed: unknown): CallResponse {
  if (!parsed || typeof parsed !== 'object') return { type: 'error', text: Messages.badResponse };
  const response = parsed as { type?: unknown };
  // The Apps plugin treats a missing type as ok (docs/mattermost.md, "Calls: transport and JWT").
  if (response.type === undefined || response.type === '') return { ...response, type: 'ok' } as CallResponse;
  if (['ok', 'error', 'form', 'navigate'].includes(String(response.type))) return parsed as CallResponse;
  return { type: 'error', text: `The app answered with an unsupported response type "${String(response.type)}".` };
}

export async function postCall(request: CallRequest, siteURL: string): Promise<CallResponse> {
  const url = `${trimTrailingSlashes(siteURL)}${APPS_CALL_PATH}`;
  let res: Response;
  try {
    res = await globalThis.fetch(url, sessionPostOptions(JSON.stringify(request)));
  } catch {
    return { type: 'error', text: Messages.unreachable };
  }
  const body = await res.text().catch(() => '');
  if (!res.ok) return { type: 'error', text: httpErrorMessage(res.status, body) };
  try {
    return toCallResponse(JSON.parse(body));
  } catch {
    return { type: 'error', text: Messages.badResponse };
  }
}

export function callApp(origin: CallOrigin, call: AppCall, values?: FormValues, selectedField?: string): Promise<CallResponse> {
  return postCall(buildCallRequest(origin, call, values, selectedField), origin.siteURL);
}
