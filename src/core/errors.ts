/** A refusal or problem to tell the user as it is (it contains nothing secret). */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}
