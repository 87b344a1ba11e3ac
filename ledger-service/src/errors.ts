/**
 * The one error vocabulary: a stable dotted code, an HTTP status and a message naming the field, the value
 * received and the value wanted. The API turns it into application/problem+json; CLIs print code and message.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
