import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import type { CursorRefusal } from './paging/cursor.js';

/**
 * A refusal is an answer, not a failure: it is built without a stack trace (clients never
 * see one, and a query that is refused a field on 1,000 rows builds 1,000 of them).
 */
function refusal(message: string, options: GraphQLErrorOptions): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Refusals a firm subgraph gives at run time. Each has a stable `extensions.code` and names
 * the firm (`extensions.firmId`), so that the gateway's merged answer says whose data is
 * missing and why.
 */
export function forbidden(firmId: string, type: string, field: string | undefined, reason: string): GraphQLError {
  return refusal(reason, { extensions: { code: 'FORBIDDEN', firmId, type, ...(field ? { field } : {}) } });
}

/**
 * A filter (an argument such as `lots(status:)`, or a list by a foreign key such as
 * `Part.lots`) on a field the caller may not read: refused as a whole, never answered with
 * rows that would tell the field's value.
 */
export function filterForbidden(firmId: string, type: string, field: string, reason: string): GraphQLError {
  return refusal(reason, { extensions: { code: 'FILTER_FORBIDDEN', firmId, type, field } });
}

export function notFound(firmId: string, type: string, id: string): GraphQLError {
  return refusal(`${type} ${id} does not exist at firm ${firmId}.`, {
    extensions: { code: 'NOT_FOUND', firmId, type },
  });
}

/**
 * A representation or argument naming another firm as owner: never answered, never empty.
 * The owner is a string (assertOwner refuses any other value as what it is).
 */
export function ownerMismatch(firmId: string, type: string, claimedOwner: string): GraphQLError {
  const owner = claimedOwner.length > 64 ? `${claimedOwner.slice(0, 64)}…` : claimedOwner;
  return refusal(
    `Firm ${firmId} does not own ${type} of firm ${owner}; it answers only for its own rows.`,
    { extensions: { code: 'OWNER_MISMATCH', firmId, type } },
  );
}

/**
 * A cursor (`after`) this list cannot continue from: BAD_USER_INPUT naming the argument, with
 * the stable reason `CURSOR_MALFORMED` (it cannot be read) or `CURSOR_FOREIGN` (another list's).
 * @example badCursor('avionix', 'CURSOR_FOREIGN', 'after is a cursor of another list ...')
 */
export function badCursor(firmId: string, reason: CursorRefusal, message: string): GraphQLError {
  return refusal(message, { extensions: { code: 'BAD_USER_INPUT', firmId, argument: 'after', reason } });
}

export function badInput(firmId: string, message: string): GraphQLError {
  return refusal(message, { extensions: { code: 'BAD_USER_INPUT', firmId } });
}

/** A firm-run service (a traversal) that needs the cluster's gateway, on a firm that has none configured (`gatewayUrl`). */
export function gatewayNotConfigured(firmId: string, what: string): GraphQLError {
  return refusal(`Firm ${firmId} has no gatewayUrl configured: ${what} asks the cluster's gateway and cannot run.`, {
    extensions: { code: 'GATEWAY_NOT_CONFIGURED', firmId },
  });
}
