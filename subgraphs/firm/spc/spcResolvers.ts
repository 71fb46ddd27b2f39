import type { FirmContext } from '../firmContext.js';
import { ownerRoleOnly, SPC_ROLES } from '../ownerRole.js';
import type { Row } from '../requestAccess.js';
import type { CapabilityView } from './capabilityGroups.js';
import { detectSensorAnomalies, type DetectionInput, type DetectionView } from './detectSensorAnomalies.js';
import { processCapability } from './processCapability.js';

interface DetectArgs {
  firmId: string;
  input: DetectionInput;
}

/**
 * SPC at the owner (docs/spc.md): `detectSensorAnomalies`, for the owner's own users with the
 * `quality` or `integration` role only (declared once: another firm's token is FORBIDDEN
 * whatever its policy grants, a `firmId` of another firm OWNER_MISMATCH).
 * @example mergeResolverMaps([firmResolvers, spcResolvers])
 */
export const spcResolvers = ownerRoleOnly(SPC_ROLES, 'run SPC detection on its sensor readings', {
  Mutation: {
    detectSensorAnomalies: (_root: unknown, args: DetectArgs, ctx: FirmContext): Promise<DetectionView> => detectSensorAnomalies(ctx, args.input),
  },
});

/**
 * `Firm.processCapability`: Cpk over the inspections the caller may read (docs/spc.md), for
 * anyone the owner's policy lets read them.
 */
export const capabilityResolvers = {
  Firm: {
    processCapability: (_firm: Row, args: { characteristic?: string | null }, ctx: FirmContext): Promise<CapabilityView[]> => processCapability(ctx, args.characteristic),
  },
};
