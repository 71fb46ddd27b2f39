import { GraphQLError } from 'graphql';
import type { FirmContext } from './firmContext.js';

/** True when the caller is one of the owner's own users with the `admin` role. */
export function isOwnerAdmin(ctx: FirmContext): boolean {
  return ctx.access.caller.firmId === ctx.firmId && ctx.access.caller.roles.includes('admin');
}

/**
 * Refuses anyone but the owner's own admins (the access log, decisions on requests):
 * no policy rule can open these to another firm.
 */
export function requireOwnerAdmin(ctx: FirmContext, what: string): void {
  if (!isOwnerAdmin(ctx)) {
    throw new GraphQLError(`Only firm ${ctx.firmId}'s own users with the admin role may ${what}.`, {
      extensions: { code: 'FORBIDDEN', firmId: ctx.firmId },
    });
  }
}
