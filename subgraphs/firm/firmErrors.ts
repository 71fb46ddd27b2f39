import { GraphQLError } from 'graphql';

/**
 * Refusals a firm subgraph gives at run time. Each has a stable `extensions.code` and names
 * the firm (`extensions.firmId`), so that the gateway's merged answer says whose data is
 * missing and why.
 */
export function forbidden(firmId: string, type: string, field: string | undefined, reason: string): GraphQLError {
  return new GraphQLError(reason, { extensions: { code: 'FORBIDDEN', firmId, type, ...(field ? { field } : {}) } });
}

export function notFound(firmId: string, type: string, id: string): GraphQLError {
  return new GraphQLError(`${type} ${id} does not exist at firm ${firmId}.`, {
    extensions: { code: 'NOT_FOUND', firmId, type },
  });
}

/** A representation or argument naming another firm as owner: never answered, never empty. */
export function ownerMismatch(firmId: string, type: string, claimedOwner: unknown): GraphQLError {
  return new GraphQLError(
    `Firm ${firmId} does not own ${type} of firm ${String(claimedOwner)}; it answers only for its own rows.`,
    { extensions: { code: 'OWNER_MISMATCH', firmId, type } },
  );
}

export function badInput(firmId: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', firmId } });
}
