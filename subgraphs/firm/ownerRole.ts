import { GraphQLError } from 'graphql';
import type { FirmContext } from './firmContext.js';
import { ownerMismatch } from './firmErrors.js';

/**
 * The role of the owner's own users that may write the firm's data through the write API
 * (`writeRows`, `recordReceipt`): an ERP, a MES or a script holding a token of the firm's own
 * identity provider with this role. No policy rule can give it to another firm's users.
 */
export const WRITE_ROLE = 'integration';

/** The roles of the owner's own users that may run SPC detection on its readings (docs/spc.md). */
export const SPC_ROLES: readonly string[] = ['quality', WRITE_ROLE];

/** True when the caller is one of the owner's own users with this role (or one of these roles). */
export function isOwnerWithRole(ctx: FirmContext, role: string | readonly string[]): boolean {
  const roles = typeof role === 'string' ? [role] : role;
  return ctx.access.caller.firmId === ctx.firmId && roles.some((r) => ctx.access.caller.roles.includes(r));
}

/**
 * Refuses anyone but the owner's own users with `role` (FORBIDDEN naming the firm and the
 * role), whatever the owner's policy grants for reading.
 * @example requireOwnerRole(ctx, 'integration', 'write its data')
 */
export function requireOwnerRole(ctx: FirmContext, role: string | readonly string[], what: string): void {
  if (!isOwnerWithRole(ctx, role)) {
    const named = typeof role === 'string' ? `the ${role} role` : `the ${role.join(' or ')} role`;
    const extensions = typeof role === 'string' ? { role } : { role: role.join(' or '), roles: [...role] };
    throw new GraphQLError(`Only firm ${ctx.firmId}'s own users with ${named} may ${what}.`, {
      extensions: { code: 'FORBIDDEN', firmId: ctx.firmId, ...extensions },
    });
  }
}

type Resolver = (source: never, args: never, ctx: FirmContext, info: never) => unknown;
type ResolverMap = Record<string, Record<string, Resolver>>;

/**
 * Declares, once for a whole resolver map, that its fields are for the owner's own users with
 * `role` only: each resolver is wrapped so that, before it runs, a `firmId` argument naming
 * another firm is OWNER_MISMATCH and any caller but the owner's own users with the role is
 * FORBIDDEN. The resolvers themselves then only do their work.
 * @example export const writeResolvers = ownerRoleOnly(WRITE_ROLE, 'write its data', { Mutation: { writeRows, recordReceipt } });
 */
export function ownerRoleOnly<M extends ResolverMap>(role: string | readonly string[], what: string, map: M): M {
  const guarded: Record<string, Record<string, Resolver>> = {};
  for (const [type, fields] of Object.entries(map)) {
    guarded[type] = Object.fromEntries(
      Object.entries(fields).map(([name, resolve]) => [
        name,
        (source: never, args: never, ctx: FirmContext, info: never) => {
          const firmId = (args as { firmId?: unknown } | undefined)?.firmId;
          if (typeof firmId === 'string' && firmId !== ctx.firmId) throw ownerMismatch(ctx.firmId, type, firmId);
          requireOwnerRole(ctx, role, what);
          return resolve(source, args, ctx, info);
        },
      ]),
    );
  }
  return guarded as M;
}
