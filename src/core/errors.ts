/**
 * A refusal or problem to tell the user as it is (it contains nothing secret),
 * on every surface of both hosts: a command answer, a form or dialog (with
 * `fieldErrors` beside the fields they name), a browser page (with `status`).
 */
export class UserFacingError extends Error {
  /** Per-field errors, for a form or dialog; the message is shown where there are none. */
  readonly fieldErrors?: Record<string, string>;
  /** The HTTP status of a page showing it (400 unless the refusal says otherwise). */
  readonly status: number;

  constructor(message: string, options: { fieldErrors?: Record<string, string>; status?: number } = {}) {
    super(message);
    this.name = 'UserFacingError';
    if (options.fieldErrors) this.fieldErrors = options.fieldErrors;
    this.status = options.status ?? 400;
  }
}
