import type { Directory } from '../../cluster/directory.js';
import { relationshipsOf } from '../../cluster/relationship.js';
import type { Caller } from '../../identity/caller.js';
import { effectivePolicy } from '../../policies/effectivePolicy.js';
import { grantsReciprocally } from '../../policies/grantsReciprocally.js';
import type { DataModel } from '../../schema/model.js';
import { activeAgreementsFor } from './agreements/activeAgreementsFor.js';
import type { FirmDb } from './db/firmDb.js';
import type { FirmPolicy } from './firmPolicy.js';
import type { PeerPolicies } from './peerPolicies.js';
import { RequestAccess } from './requestAccess.js';

/** What a firm needs to decide for a caller: its policy, its database (agreements), its peers (reciprocity). */
export interface AccessSources {
  firmId: string;
  policy: FirmPolicy;
  db: FirmDb;
  peers: PeerPolicies;
  model: DataModel;
}

/**
 * The owner's effective policy for one caller at one instant: the cluster terms, the
 * owner's own rules, and the caller firm's active agreements (read now: a revoked agreement
 * never acts again), with give-to-get evaluated against the caller's published policy.
 * @example const access = await accessFor(sources, directory, caller, new Date());
 */
export async function accessFor(sources: AccessSources, directory: Directory, caller: Caller, now: Date): Promise<RequestAccess> {
  const { firmId, model } = sources;
  const { policy: own, terms } = sources.policy.inForce(directory);
  const relationships = relationshipsOf(directory.relationships, caller.firmId, firmId);
  const agreements = await activeAgreementsFor({ firmId, db: sources.db, now, directory, access: { caller } });
  const effective = effectivePolicy(own, terms, agreements);
  let reciprocity: ((types: readonly string[]) => boolean) | undefined;
  if (caller.firmId !== firmId && effective.rules.some((r) => r.reciprocity.length > 0)) {
    const peer = await sources.peers.get(directory, caller.firmId);
    const ownerToCaller = relationshipsOf(directory.relationships, firmId, caller.firmId);
    const peerEffective = peer ? effectivePolicy(peer, terms, []) : undefined;
    reciprocity = (types) => peerEffective !== undefined && grantsReciprocally(peerEffective, model, firmId, ownerToCaller, types, now);
  }
  return new RequestAccess(firmId, caller, relationships, effective, model, now, reciprocity);
}
