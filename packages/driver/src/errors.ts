/** A non-2xx answer from Mattermost or the Apps plugin, or no answer at all. */
export class MattermostApiError extends Error {
  constructor(
    readonly method: string,
    /** The path without query, e.g. /plugins/com.mattermost.apps/api/v1/kv/p/x. */
    readonly path: string,
    /** HTTP status; 0 when the request failed before an answer (network, timeout). */
    readonly status: number,
    /** The start of the answer's body (Mattermost answers errors in plain text or AppError JSON). */
    readonly body: string,
  ) {
    super(status === 0 ? `${method} ${path} failed: ${body}` : `${method} ${path} answered ${status}${body ? `: ${body}` : ''}`);
    this.name = 'MattermostApiError';
  }

  get unavailable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** A value was refused before sending (bad key, over the 8 KiB limit, not JSON). */
export class DriverInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverInputError';
  }
}
