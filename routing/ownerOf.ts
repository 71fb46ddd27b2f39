/** Typenames whose owner is their own `id` rather than a `firmId` field. */
const KEYED_BY_ID: ReadonlySet<string> = new Set(['Firm', 'FirmRef']);

/**
 * The firm that owns an entity representation (docs/architecture.md, rule 1: the owner is in every
 * key): its `firmId`, or its `id` for `Firm` and `FirmRef`. Numeric ids are accepted and
 * turned into strings; anything else (no key, empty string, not an object) has no owner.
 *
 * @example
 * ownerOf({ __typename: 'Lot', firmId: 'precimach', lotId: 'L-1' }); // 'precimach'
 * ownerOf({ __typename: 'Firm', id: 'airframe' });                   // 'airframe'
 * ownerOf({ __typename: 'Lot', lotId: 'L-1' });                      // undefined
 */
export function ownerOf(rep: unknown): string | undefined {
  if (typeof rep !== 'object' || rep === null || Array.isArray(rep)) return undefined;
  const record = rep as Record<string, unknown>;
  const typename = record['__typename'];
  const key = typeof typename === 'string' && KEYED_BY_ID.has(typename) ? record['id'] : record['firmId'];
  if (typeof key === 'string') return key === '' ? undefined : key;
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  return undefined;
}
