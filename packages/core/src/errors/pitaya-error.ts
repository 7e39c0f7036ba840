import { ErrorCode } from '@pitaya-ts/protocol';

export { ErrorCode };

/**
 * An error that reaches clients and RPC callers with its code, message and metadata, like Go
 * Pitaya's `errors.Error`. Throw it from a handler or remote to answer with a specific code;
 * any other thrown value is answered as `PIT-000`.
 */
export class PitayaError extends Error {
  override readonly name = 'PitayaError';

  constructor(
    /** Pitaya code string (`PIT-404`, or an application code such as `RH-000`). */
    readonly code: string,
    message: string,
    /** String-to-string metadata sent with the error. */
    readonly metadata: Readonly<Record<string, string>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /**
   * Wraps any thrown value. A `PitayaError` keeps its code and gets `metadata` merged in (Pitaya's
   * `pitaya.Error`); anything else gets `code` (default `PIT-000`) and its message.
   */
  static wrap(error: unknown, code: string = ErrorCode.Unknown, metadata?: Record<string, string>): PitayaError {
    if (error instanceof PitayaError) {
      return metadata ? new PitayaError(error.code, error.message, { ...error.metadata, ...metadata }, { cause: error }) : error;
    }
    const message = error instanceof Error ? error.message : String(error);
    return new PitayaError(code, message, metadata ?? {}, { cause: error });
  }
}

/** `PIT-400`: the client sent something the server cannot use. */
export const badRequest = (message: string, metadata?: Record<string, string>): PitayaError =>
  new PitayaError(ErrorCode.BadRequest, message, metadata);

/** `PIT-404`: no handler or remote for a route. */
export const notFound = (message: string, metadata?: Record<string, string>): PitayaError =>
  new PitayaError(ErrorCode.NotFound, message, metadata);

/** `PIT-500`: the server could not route or process the request. */
export const internalError = (message: string, metadata?: Record<string, string>): PitayaError =>
  new PitayaError(ErrorCode.Internal, message, metadata);
