import type { CatalogOffer } from '../../policies/catalogOffers.js';
import { catalogOffers } from '../../policies/catalogOffers.js';
import { firmDataModel } from '../../schema/model.js';
import type { FirmContext } from './firmContext.js';
import { badInput } from './firmErrors.js';
import { requireOwnerAdmin } from './ownerAdmin.js';

type Args = Record<string, unknown>;

const GOVERNED = new Set(Object.keys(firmDataModel().types));

function offerView(o: CatalogOffer) {
  return {
    ...o,
    origin: o.origin.toUpperCase(),
    mode: o.mode.toUpperCase(),
    description: o.description ?? null,
    rows: o.rows ?? null,
  };
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

/**
 * The transparency of a firm's policy: its catalog (what it offers, to whom, for which
 * purposes, under the cluster terms) and explanations of access. A caller explains its own
 * access; only the owner's admins may explain another caller's.
 */
export const policyResolvers = {
  Firm: {
    catalog: (_firm: unknown, _args: Args, ctx: FirmContext) => {
      const offers = catalogOffers(ctx.access.policy);
      // The caller's own agreements are part of its effective policy; nobody else's are shown.
      return offers.map(offerView);
    },
    explainAccess: async (_firm: unknown, args: Args, ctx: FirmContext) => {
      const type = String(args.type);
      if (!GOVERNED.has(type)) throw badInput(ctx.firmId, `type: ${type} is not one of the governed types (${[...GOVERNED].join(', ')}).`);
      const asFirm = typeof args.asFirm === 'string' ? args.asFirm : undefined;
      const roles = strings(args.roles);
      const purpose = typeof args.purpose === 'string' ? args.purpose : undefined;
      const other = (asFirm !== undefined && asFirm !== ctx.access.caller.firmId) || roles !== undefined || purpose !== undefined;
      if (other) requireOwnerAdmin(ctx, "explain another caller's access");
      if (asFirm !== undefined && !ctx.directory.members.some((m) => m.id === asFirm)) {
        throw badInput(ctx.firmId, `asFirm: ${asFirm} is not a member of the cluster.`);
      }
      const { caller } = ctx.access;
      const access = other
        ? await ctx.accessAs({
            firmId: asFirm ?? caller.firmId,
            subject: `explain:${asFirm ?? caller.firmId}`,
            issuer: caller.issuer,
            roles: roles ?? caller.roles,
            ...((purpose ?? caller.purpose) !== undefined ? { purpose: purpose ?? caller.purpose } : {}),
          })
        : ctx.access;
      const explanation = access.explain(type);
      return {
        ...explanation,
        fields: explanation.fields.map((f) => ({ ...f, mode: f.mode ? f.mode.toUpperCase() : null })),
      };
    },
  },
};
