/**
 * Why a byte sequence was refused. Stable strings: servers map them to metrics and close reasons.
 */
export type ProtocolErrorReason =
  | 'BAD_PACKET_TYPE'
  | 'PACKET_TOO_LARGE'
  | 'FRAME_TOO_SHORT'
  | 'LENGTH_MISMATCH'
  | 'MESSAGE_TOO_SHORT'
  | 'BAD_MESSAGE_TYPE'
  | 'BAD_VARINT'
  | 'ROUTE_OUT_OF_BOUNDS'
  | 'ROUTE_TOO_LONG'
  | 'UNKNOWN_ROUTE_CODE'
  | 'DUPLICATE_ROUTE'
  | 'BAD_DICTIONARY_CODE'
  | 'BAD_HANDSHAKE'
  | 'BAD_ERROR_PAYLOAD'
  | 'BAD_COMPRESSED_DATA'
  | 'PAYLOAD_TOO_LARGE'
  | 'FORBIDDEN_KEY';

/**
 * Thrown for malformed or oversized wire input (and for values that cannot be encoded).
 * A server treats it as fatal for that one connection only.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  /**
   * @param reason - machine-readable cause
   * @param message - what exactly was wrong, for logs
   */
  constructor(
    readonly reason: ProtocolErrorReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
