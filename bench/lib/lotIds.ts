/**
 * The lot ids of the Lot objects in a GraphQL answer, in document order: every object
 * with a string `lotId` and a `status` key (a LotRef has no `status`). A denied field is
 * null, not absent, so the list does not depend on what a policy hides.
 */
export function lotIdsIn(data: unknown): string[] {
  const ids: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      if ('lotId' in v && 'status' in v && typeof v.lotId === 'string') ids.push(v.lotId);
      Object.values(v).forEach(walk);
    }
  };
  walk(data);
  return ids;
}

/** Errors of an answer counted by `extensions.code` (or message). */
export function errorCodes(errors: readonly { message: string; extensions?: Record<string, unknown> }[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of errors ?? []) {
    const code = String(e.extensions?.code ?? e.message);
    out[code] = (out[code] ?? 0) + 1;
  }
  return out;
}
