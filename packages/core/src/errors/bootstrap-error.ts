/** Why start-up was refused. */
export type BootstrapErrorCode =
  | 'DECORATOR_TWICE'
  | 'NOT_A_MODULE'
  | 'MODULE_CYCLE'
  | 'DUPLICATE_ROUTE'
  | 'DUPLICATE_SERVICE'
  | 'ILLEGAL_ROUTE_NAME'
  | 'MISSING_PROVIDER'
  | 'PROVIDER_FAILED'
  | 'INVALID_PROVIDER'
  | 'INVALID_CONFIG'
  | 'INVALID_PIPELINE'
  | 'DUPLICATE_MODULE'
  | 'NO_ACCEPTOR'
  | 'LISTEN_FAILED'
  | 'INVALID_STATE'
  | 'INVALID_EXPORT'
  | 'PROVIDER_NOT_VISIBLE'
  | 'INVALID_GUARD'
  | 'INVALID_FILTER'
  | 'INVALID_PARAMETER'
  | 'INVALID_ROUTE'
  | 'INVALID_SCHEMA';

/**
 * Start-up failure: a problem in how the application is declared or configured. It stops
 * `Pitaya.create()`/`app.start()` with a message naming the class, method or key at fault; the
 * process never starts half-configured.
 */
export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';

  constructor(readonly code: BootstrapErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
