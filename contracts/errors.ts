/**
 * Stable error codes shared by server and clients. HTTP answers carry
 * `{error:{code,message,details?}}`, socket acks `{ok:false,error:{code,message}}`.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  // Writing in a room
  MUTED: 'MUTED',
  BANNED: 'BANNED',
  BLOCKED_CONTENT: 'BLOCKED_CONTENT',
  SLOW_MODE: 'SLOW_MODE',
  ACCOUNT_TOO_NEW: 'ACCOUNT_TOO_NEW',
  ROOM_NOT_LIVE: 'ROOM_NOT_LIVE',
  // Polls
  POLL_CLOSED: 'POLL_CLOSED',
  ALREADY_VOTED: 'ALREADY_VOTED',
  // Proposal merges (writers' room)
  MERGE_INTO_SELF: 'MERGE_INTO_SELF',
  MERGE_ACROSS_FRANCHISES: 'MERGE_ACROSS_FRANCHISES',
  MERGE_SOURCE_ALREADY_MERGED: 'MERGE_SOURCE_ALREADY_MERGED',
  MERGE_TARGET_MERGED: 'MERGE_TARGET_MERGED',
  MERGE_TARGET_REJECTED: 'MERGE_TARGET_REJECTED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The HTTP status each code maps to; only the HTTP transport reads it. */
export const httpStatusOf: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  MUTED: 403,
  BANNED: 403,
  BLOCKED_CONTENT: 422,
  SLOW_MODE: 429,
  ACCOUNT_TOO_NEW: 403,
  ROOM_NOT_LIVE: 409,
  POLL_CLOSED: 409,
  ALREADY_VOTED: 409,
  MERGE_INTO_SELF: 400,
  MERGE_ACROSS_FRANCHISES: 409,
  MERGE_SOURCE_ALREADY_MERGED: 409,
  MERGE_TARGET_MERGED: 409,
  MERGE_TARGET_REJECTED: 409,
};

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
