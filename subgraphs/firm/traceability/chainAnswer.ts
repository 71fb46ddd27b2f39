/** The answer to "is X in the chain of these lots?": ESS's `Yes | No | Unknown`. */
export type ChainMembership = 'YES' | 'NO' | 'UNKNOWN';

/** An answer and, for YES, the hops (tiers) from the asked lots to the nearest hit. */
export interface ChainAnswer {
  answer: ChainMembership;
  hops: number | null;
}

/** What the asker looks for: lots of `firmId`, optionally of one part, some lot ids, or one status (a quarantined batch). */
export interface ChainTarget {
  firmId: string;
  partId?: string;
  lotIds?: readonly string[];
  lotStatus?: string;
}

export const NO: ChainAnswer = { answer: 'NO', hops: null };
export const UNKNOWN: ChainAnswer = { answer: 'UNKNOWN', hops: null };
export const yes = (hops: number): ChainAnswer => ({ answer: 'YES', hops });

/**
 * Combines the answers of several branches: YES beats UNKNOWN beats NO, and of several YES the
 * nearest hit wins. No answer at all is NO (nothing below).
 * @example combine([NO, UNKNOWN, yes(3), yes(2)]) // { answer: 'YES', hops: 2 }
 */
export function combine(answers: readonly ChainAnswer[]): ChainAnswer {
  const hits = answers.flatMap((a) => (a.answer === 'YES' && a.hops !== null ? [a.hops] : []));
  if (hits.length > 0) return yes(Math.min(...hits));
  return answers.some((a) => a.answer === 'UNKNOWN') ? UNKNOWN : NO;
}

/**
 * A branch answer seen `hops` tiers further up: a supplier's YES at 1 hop is a YES at 1 + hops.
 * @example further(yes(1), 2) // { answer: 'YES', hops: 3 }
 */
export function further(answer: ChainAnswer, hops: number): ChainAnswer {
  return answer.answer === 'YES' && answer.hops !== null ? yes(answer.hops + hops) : answer;
}

/**
 * Does a lot of `ownerFirmId` match the target?
 * @example matchesTarget('alumill', { lotId: 'alumill-L0005', partId: 'alumill-P01', status: 'QUARANTINED' }, { firmId: 'alumill', lotStatus: 'QUARANTINED' }) // true
 */
export function matchesTarget(ownerFirmId: string, lot: { lotId: string; partId: string | null; status: string | null }, target: ChainTarget): boolean {
  if (target.firmId !== ownerFirmId) return false;
  if (target.partId !== undefined && lot.partId !== target.partId) return false;
  if (target.lotIds !== undefined && !target.lotIds.includes(lot.lotId)) return false;
  if (target.lotStatus !== undefined && lot.status !== target.lotStatus) return false;
  return true;
}
