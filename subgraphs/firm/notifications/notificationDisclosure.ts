import { relationshipsOf } from '../../../cluster/relationship.js';
import { FIRM_ROLE } from '../../../identity/firmToken.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import type { EffectivePolicy } from '../../../policies/policyFile.js';
import { firmDataModel } from '../../../schema/model.js';
import type { FirmContext } from '../firmContext.js';

/**
 * The firms this firm lets learn its identity in the progress of an investigation it was
 * forwarded: those its policy grants, as firms asking for traceability, chain-membership
 * answers on its lots (`mode: membership` on Lot, the permission to learn that this firm is in
 * their chain). Its own rules and the cluster terms decide; agreements, which are between two
 * firms, are not read (no SQL: a pure decision per member of the directory).
 */
export function disclosedTo(ctx: FirmContext): string[] {
  const policy: EffectivePolicy = { owner: ctx.firmId, rules: ctx.access.policy.rules.filter((r) => r.origin !== 'agreement') };
  const model = firmDataModel();
  return ctx.directory.members
    .map((m) => m.id)
    .filter((firmId) => firmId !== ctx.firmId)
    .filter((firmId) => {
      const caller = { firmId, subject: `firm:${firmId}`, roles: [FIRM_ROLE], purpose: 'traceability', issuer: '' };
      const decision = decideAccess(policy, model, { caller, relationships: relationshipsOf(ctx.directory.relationships, firmId, ctx.firmId), type: 'Lot', now: ctx.now });
      return decision.memberships.length > 0;
    });
}

/**
 * The firm a progress report may name to `upstream`: the firm whose change it reports, if that
 * firm's disclosure list (carried with the report) names `upstream`; otherwise none.
 */
export function namedTo(upstream: string, subject: string | null, discloseTo: readonly string[] | null): string | null {
  return subject !== null && discloseTo !== null && discloseTo.includes(upstream) ? subject : null;
}
