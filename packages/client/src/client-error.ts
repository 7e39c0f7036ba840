import { ErrorCode, decodeErrorPayloadJson } from '@pitaya-ts/protocol';

/**
 * A failed request or connection: the server's error payload (`code`, `msg`, `metadata`) or a local
 * condition (`PIT-504` timeout, `PIT-499` connection closed).
 */
export class ClientError extends Error {
  override readonly name = 'ClientError';

  /**
   * @param code - Pitaya error code, e.g. `PIT-404`, or an application code
   * @param message - the server's `msg`, or a local description
   * @param metadata - the server's error metadata
   */
  /**
   * The server's error payload as received, when it was not JSON (e.g. a protobuf `protos.Error` from
   * a server using the protobuf serializer), for callers that can decode it.
   */
  payload?: Uint8Array;

  constructor(
    readonly code: string,
    message: string,
    readonly metadata: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The ClientError for an error Response's payload (JSON `protos.Error`; anything else is `PIT-000`). @internal */
export function clientErrorFromPayload(data: Uint8Array): ClientError {
  try {
    const e = decodeErrorPayloadJson(data);
    return new ClientError(e.code || ErrorCode.Unknown, e.msg ?? '', e.metadata ?? {});
  } catch (cause) {
    const error = new ClientError(ErrorCode.Unknown, 'the server returned an error payload that is not JSON', {}, { cause });
    error.payload = data.slice();
    return error;
  }
}
