/** Message types (flag bits 1..3). */
export const MessageType = {
  Request: 0,
  Notify: 1,
  Response: 2,
  Push: 3,
} as const;

/** A valid message type. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Flag byte bits besides the type. */
export const MessageFlag = {
  /** The route is a 2-byte dictionary code. */
  RouteCompressed: 0x01,
  /** The payload is zlib-compressed (Pitaya calls it "gzip"). */
  Compressed: 0x10,
  /** The payload is an error object. */
  Error: 0x20,
} as const;

/** A decoded message. Views only: `data` points into the decoded bytes. */
export interface Message {
  type: MessageType;
  /** 0 when the type carries no id (Notify, Push). */
  id: number;
  /** '' when the type carries no route (Response); dictionary codes are already resolved. */
  route: string;
  /** The route was sent as a dictionary code. */
  routeCompressed: boolean;
  /** Payload view; still deflated when `compressed` is set. */
  data: Uint8Array;
  /** Flag 0x10: `data` is zlib (or gzip) and must be inflated. */
  compressed: boolean;
  /** Flag 0x20: `data` is an error payload. */
  error: boolean;
}

/** What to encode. `compressed` only sets flag 0x10: deflate `data` yourself first. */
export interface MessageInit {
  type: MessageType;
  /** Request/Response only; default 0. */
  id?: number;
  /** Request/Notify/Push only; default ''. */
  route?: string;
  data?: Uint8Array;
  compressed?: boolean;
  error?: boolean;
}

/** Request and Response carry a message id. */
export function messageHasId(type: MessageType): boolean {
  return type === MessageType.Request || type === MessageType.Response;
}

/** Request, Notify and Push carry a route. */
export function messageHasRoute(type: MessageType): boolean {
  return type !== MessageType.Response;
}

/** @internal */
export function isMessageType(n: number): n is MessageType {
  return n === 0 || n === 1 || n === 2 || n === 3;
}
