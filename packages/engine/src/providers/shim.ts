/** Helpers for presets that rewrite a provider's non-standard responses. */

/** The response body as a JSON object, or undefined when it is not one. Leaves `response` unread. */
export async function peekJsonObject(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await response.clone().json();
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON response with the given status and body, keeping the original headers. */
export function jsonResponse(original: Response, status: number, body: Record<string, unknown>): Response {
  const headers = new Headers(original.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  headers.delete('www-authenticate');
  return new Response(JSON.stringify(body), { status, statusText: original.statusText, headers });
}

/** An RFC 6749 §5.2 error response (status 400, so oauth4webapi reads its body). */
export function oauthErrorResponse(original: Response, error: string, description?: string): Response {
  const body: Record<string, unknown> = { error };
  if (description) body.error_description = description;
  return jsonResponse(original, 400, body);
}
