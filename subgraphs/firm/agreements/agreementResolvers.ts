import { GraphQLError } from 'graphql';
import { firmDataModel } from '../../../schema/model.js';
import type { FirmContext } from '../firmContext.js';
import { badInput, notFound, ownerMismatch } from '../firmErrors.js';
import { requireOwnerAdmin } from '../ownerAdmin.js';
import { agreementState, type AgreementState } from './agreementState.js';
import {
  createAccessRequest,
  decideAccessRequest,
  listAccessRequests,
  listAgreements,
  loadAccessRequest,
  revokeAgreement,
  type AccessRequestState,
  type AccessRequestWithAgreement,
  type AgreementRecord,
} from './agreementStore.js';
import { MAX_NOTE_CHARS, validateAccessRequestInput, type AccessRequestInput } from './validateAccessRequestInput.js';

const dataModel = firmDataModel();

/** An agreement as the schema's `Agreement`. */
export interface AgreementView extends Omit<AgreementRecord, 'state'> {
  ownerId: string;
  state: AgreementState;
}

/** An access request as the schema's `AccessRequest` (`agreement` is resolved by its own field). */
export interface AccessRequestView extends AccessRequestWithAgreement {
  ownerId: string;
}

const isMemberIn = (ctx: FirmContext) => (firmId: string) => ctx.directory.members.some((m) => m.id === firmId);

function agreementView(record: AgreementRecord, ctx: FirmContext): AgreementView {
  return { ...record, ownerId: ctx.firmId, state: agreementState(record, ctx.now, isMemberIn(ctx)) };
}

function requestView(record: AccessRequestWithAgreement, ctx: FirmContext): AccessRequestView {
  return { ...record, ownerId: ctx.firmId };
}

/** Mutations name their owner (`firmId`): another firm's id is refused, never answered. */
function requireOwner(ctx: FirmContext, firmId: string, type: string): void {
  if (firmId !== ctx.firmId) throw ownerMismatch(ctx.firmId, type, firmId);
}

function badKey(ctx: FirmContext, key: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', firmId: ctx.firmId, key } });
}


/** Is the caller the owner's own user? Then only its admins see the governance lists. */
function ownerView(ctx: FirmContext, what: string): boolean {
  if (ctx.access.caller.firmId !== ctx.firmId) return false;
  requireOwnerAdmin(ctx, what);
  return true;
}

interface RequestAccessArgs {
  firmId: string;
  input: AccessRequestInput;
}
interface DecideArgs {
  firmId: string;
  requestId: string;
  decision: 'GRANT' | 'REJECT';
  note?: string | null;
}
interface RevokeArgs {
  firmId: string;
  agreementId: string;
}

/**
 * Access requests and agreements: governance operations of the owner, not data reads
 * (they are neither subject to the data policy nor written to the access log).
 *
 * - `requestAccess`: any user of another member firm asks the owner; stored PENDING.
 * - `decideAccessRequest`, `revokeAgreement`: the owner's admins only.
 * - `Firm.accessRequests`, `Firm.agreements`: the owner's admins see all; a user of another
 *   firm sees those of its own firm (requested by it, held by it); the owner's users
 *   without the admin role are refused (FORBIDDEN).
 * - An agreement's state is computed at the request's instant: EXPIRED past `validUntil`,
 *   ENDED once its holder left the cluster (see `agreementState`).
 *
 * @example new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs, resolvers: mergeResolverMaps([firmResolvers, agreementResolvers]) }]) })
 */
export const agreementResolvers = {
  Mutation: {
    requestAccess: async (_root: unknown, { firmId, input }: RequestAccessArgs, ctx: FirmContext): Promise<AccessRequestView> => {
      requireOwner(ctx, firmId, 'AccessRequest');
      const { caller } = ctx.access;
      if (caller.firmId === ctx.firmId) {
        throw badInput(ctx.firmId, `Firm ${ctx.firmId} does not request access to its own data: its policy decides what its users see.`);
      }
      // A request's purpose is validated as a policy's purposes are: against the cluster terms' vocabulary.
      const purposes = ctx.purposes;
      const checked = validateAccessRequestInput(input, dataModel, purposes ? { purposes } : {});
      if (!checked.ok) throw badKey(ctx, `input.${checked.key}`, checked.message);
      const stored = await createAccessRequest(
        ctx.db,
        ctx.firmId,
        { ...checked.value, requesterId: caller.firmId, requestedBy: caller.subject },
        ctx.now,
      );
      return requestView(stored, ctx);
    },

    decideAccessRequest: async (_root: unknown, args: DecideArgs, ctx: FirmContext): Promise<AccessRequestView> => {
      requireOwner(ctx, args.firmId, 'AccessRequest');
      requireOwnerAdmin(ctx, 'decide access requests');
      const note = args.note?.trim() || null;
      if (note !== null && note.length > MAX_NOTE_CHARS) {
        throw badKey(ctx, 'note', `note: must be at most ${MAX_NOTE_CHARS} characters, got ${note.length}`);
      }
      if (args.decision === 'GRANT') {
        const pending = await loadAccessRequest(ctx.db, args.requestId);
        if (pending && pending.state === 'PENDING' && !isMemberIn(ctx)(pending.requesterId)) {
          throw badKey(ctx, 'requestId', `Access request ${args.requestId} cannot be granted: firm ${pending.requesterId} is no longer a member of the cluster.`);
        }
      }
      const outcome = await decideAccessRequest(
        ctx.db,
        ctx.firmId,
        { requestId: args.requestId, decision: args.decision, decidedBy: ctx.access.caller.subject, note },
        ctx.now,
      );
      if (outcome.kind === 'not-found') throw notFound(ctx.firmId, 'AccessRequest', args.requestId);
      if (outcome.kind === 'already-decided') {
        throw badKey(ctx, 'requestId', `Access request ${args.requestId} was already decided (${outcome.request.state}).`);
      }
      return requestView(outcome.request, ctx);
    },

    revokeAgreement: async (_root: unknown, args: RevokeArgs, ctx: FirmContext): Promise<AgreementView> => {
      requireOwner(ctx, args.firmId, 'Agreement');
      requireOwnerAdmin(ctx, 'revoke agreements');
      const outcome = await revokeAgreement(ctx.db, { agreementId: args.agreementId, revokedBy: ctx.access.caller.subject }, ctx.now);
      if (outcome.kind === 'not-found') throw notFound(ctx.firmId, 'Agreement', args.agreementId);
      if (outcome.kind === 'not-active') {
        throw badKey(ctx, 'agreementId', `Agreement ${args.agreementId} is already ${outcome.agreement.state}.`);
      }
      return agreementView(outcome.agreement, ctx);
    },
  },

  Firm: {
    accessRequests: async (_firm: unknown, args: { state?: AccessRequestState | null }, ctx: FirmContext): Promise<AccessRequestView[]> => {
      const all = ownerView(ctx, 'list access requests');
      const rows = await listAccessRequests(ctx.db, {
        ...(all ? {} : { requesterId: ctx.access.caller.firmId }),
        ...(args.state ? { state: args.state } : {}),
      });
      return rows.map((r) => requestView(r, ctx));
    },

    agreements: async (_firm: unknown, args: { state?: AgreementState | null }, ctx: FirmContext): Promise<AgreementView[]> => {
      const all = ownerView(ctx, 'list agreements');
      const rows = await listAgreements(ctx.db, all ? {} : { holderId: ctx.access.caller.firmId });
      const views = rows.map((r) => agreementView(r, ctx));
      return args.state ? views.filter((v) => v.state === args.state) : views;
    },
  },

  AccessRequest: {
    agreement: (request: AccessRequestView, _args: unknown, ctx: FirmContext): AgreementView | null =>
      request.agreement ? agreementView(request.agreement, ctx) : null,
  },
};
