import type { FirmContext } from '../firmContext.js';
import { badCursor } from '../firmErrors.js';
import { decodeCursor, listTag, type CursorList, type SortKey, type SortKeyKind } from './cursor.js';

/** Where a connection's page starts: the list's cursor tag, and the sort key the page starts after (none: the first page). */
export interface PageStart {
  tag: string;
  after?: SortKey;
}

/**
 * Reads a connection's `after` for `list`: absent → the first page; a cursor this list
 * issued → the sort key it ends at; anything else → BAD_USER_INPUT (`argument: 'after'`,
 * `reason: CURSOR_MALFORMED | CURSOR_FOREIGN`), never an internal error.
 * @example const start = pageStart(ctx, { firmId: ctx.firmId, field: 'Firm.lotsConnection', filters }, args.after, 'id');
 */
export function pageStart(ctx: Pick<FirmContext, 'firmId'>, list: CursorList, after: unknown, kind: SortKeyKind): PageStart {
  const tag = listTag(list);
  if (after === undefined || after === null) return { tag };
  const decoded = typeof after === 'string' ? decodeCursor(after, tag, kind) : undefined;
  if (!decoded) throw badCursor(ctx.firmId, 'CURSOR_MALFORMED', 'after must be a cursor (a string).');
  if (!decoded.ok) throw badCursor(ctx.firmId, decoded.reason, decoded.message);
  return { tag, after: decoded.key };
}
