import type { FirmContext } from '../firmContext.js';
import { assertFilterable, pageSize, recordFiltered, selectEntities, selectRelated } from '../entityAccess.js';
import { entityTable } from '../entityTables.js';
import type { Row } from '../requestAccess.js';
import { Connection } from './connection.js';
import { encodeCursor } from './cursor.js';
import { pageStart } from './pageStart.js';

type Args = Readonly<Record<string, unknown>>;

/**
 * The cursor of a row of a governed type. A cursor carries the row's id, so giving it out is
 * a read of the id: the access log records it as such (as for the row's own key field).
 */
function entityCursor(ctx: FirmContext, type: string, tag: string): (row: Row) => string {
  const { idField } = entityTable(type);
  return (row) => {
    const access = ctx.access.field(type, idField, row);
    if (access.allowed) ctx.reads.field(type, idField, row, access.rules);
    return encodeCursor(tag, String(row[idField]));
  };
}

const idAfter = (after: unknown): { after?: string } => (typeof after === 'string' ? { after } : {});

/**
 * A page of an entry-point connection (`Firm.lotsConnection(first, after, status, partId)`):
 * the list's own statement (row filter, filters on the rows where the caller may read the
 * filtered field, FORBIDDEN / FILTER_FORBIDDEN as for the list) with `id > after`, `ORDER BY
 * id LIMIT first + 1`: one indexed statement per page, wherever the page is.
 * @example await pageEntities(ctx, 'Lot', 'Firm.lotsConnection', { status: 'RELEASED' }, { first: 20, after })
 */
export async function pageEntities(ctx: FirmContext, type: string, field: string, filters: Record<string, unknown>, args: Args): Promise<Connection<Row>> {
  const first = pageSize(ctx, args.first);
  const start = pageStart(ctx, { firmId: ctx.firmId, field, filters }, args.after, 'id');
  const { rows, filtered } = await selectEntities(ctx, type, filters, { limit: first + 1, ...idAfter(start.after) });
  const page = Connection.of(rows, first, entityCursor(ctx, type, start.tag));
  for (const f of filtered) recordFiltered(ctx, type, f, page.nodes());
  return page;
}

/**
 * A page of a connection under a row (`Part.lotsConnection`: the part's lots, by
 * `Lot.partId`): as {@link pageEntities}, per parent (a window over each parent's rows, one
 * statement for all the parents of a request), the cursor bound to its parent.
 * @example await pageRelated(ctx, 'Lot', 'partId', part.partId, 'Part.lotsConnection', { first: 20 })
 */
export async function pageRelated(ctx: FirmContext, type: string, field: string, key: unknown, list: string, args: Args): Promise<Connection<Row>> {
  if (typeof key !== 'string') return Connection.of<Row>([], 0, () => '');
  assertFilterable(ctx, type, field);
  const first = pageSize(ctx, args.first);
  const start = pageStart(ctx, { firmId: ctx.firmId, field: list, parent: key }, args.after, 'id');
  const rows = await selectRelated(ctx, type, field, key, { limit: first + 1, ...idAfter(start.after) });
  const page = Connection.of(rows, first, entityCursor(ctx, type, start.tag));
  recordFiltered(ctx, type, field, page.nodes());
  return page;
}
