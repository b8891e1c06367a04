/** A refusal to show as it is (on a page, in a command answer or a dialog): it holds nothing secret. */
export class Refusal extends Error {
  constructor(
    message: string,
    /** HTTP status of a page showing it. */
    readonly status = 400,
    /** Per-field errors, for a dialog. */
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
