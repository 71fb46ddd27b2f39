import type { Directory, MemberRecord } from '../../cluster/directory.js';
import { termsView } from './termsView.js';

/** What the registry's resolvers see for one request. */
export interface RegistryContext {
  directory: Directory;
}

type Args = Record<string, unknown>;

function firmView(m: MemberRecord) {
  return { id: m.id, name: m.name, role: m.role, tier: m.tier, sector: m.sector };
}

function member(ctx: RegistryContext, id: unknown): MemberRecord | undefined {
  return ctx.directory.members.find((m) => m.id === id);
}

/** Resolvers of the `registry` logical subgraph: members and declared relationships. */
export const registryResolvers = {
  Query: {
    firms: (_: unknown, args: Args, ctx: RegistryContext) =>
      ctx.directory.members
        .filter((m) => (args.role == null || m.role === args.role) && (args.tier == null || m.tier === args.tier))
        .map(firmView),
    firm: (_: unknown, args: Args, ctx: RegistryContext) => {
      const m = member(ctx, args.id);
      return m ? firmView(m) : null;
    },
    clusterTerms: (_: unknown, _args: Args, ctx: RegistryContext) => termsView(ctx.directory.terms),
    relationships: (_: unknown, _args: Args, ctx: RegistryContext) =>
      ctx.directory.relationships.map((r) => ({ supplier: { id: r.supplier }, customer: { id: r.customer } })),
  },
  Firm: {
    __resolveReference: (ref: { id: string }, ctx: RegistryContext) => {
      const m = member(ctx, ref.id);
      return m ? firmView(m) : null;
    },
    suppliers: (f: { id: string }, _args: Args, ctx: RegistryContext) =>
      ctx.directory.relationships.filter((r) => r.customer === f.id).flatMap((r) => {
        const m = member(ctx, r.supplier);
        return m ? [firmView(m)] : [];
      }),
    customers: (f: { id: string }, _args: Args, ctx: RegistryContext) =>
      ctx.directory.relationships.filter((r) => r.supplier === f.id).flatMap((r) => {
        const m = member(ctx, r.customer);
        return m ? [firmView(m)] : [];
      }),
  },
  TradeRelationship: {
    supplier: (r: { supplier: { id: string } }, _args: Args, ctx: RegistryContext) => {
      const m = member(ctx, r.supplier.id);
      return m ? firmView(m) : null;
    },
    customer: (r: { customer: { id: string } }, _args: Args, ctx: RegistryContext) => {
      const m = member(ctx, r.customer.id);
      return m ? firmView(m) : null;
    },
  },
};
