import { createHash } from 'node:crypto';
import { MAX_KEY_LENGTH } from '../../representations/checkRepresentations.js';

/**
 * The cursors of the firm's connections (docs/paging.md): opaque to clients, versioned, and
 * bound to the one list that issued them. A cursor is base64url of `{"v":1,"l":tag,"k":key}`:
 * `k` is the sort key (the row's own id, or an access log entry's `seq`) of the last row the
 * caller was given, `l` a digest of the list (firm, field, parent row, filters). Nothing
 * else: a cursor holds no caller, no row filter and no secret, so a forged one can only name
 * a position in the key order, and every page applies the caller's policy anew.
 */

/** The cursor format's version; any other is refused as malformed. */
export const CURSOR_VERSION = 1;
/** Longest cursor text read; a longer one is refused before it is decoded. */
export const MAX_CURSOR_LENGTH = 512;
const TAG_LENGTH = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A sort key: a row's own id (text), or a sequence number. */
export type SortKey = string | number;

/** How a list's sort key looks: a row id (non-empty text) or a sequence number (integer ≥ 1). */
export type SortKeyKind = 'id' | 'seq';

/** The list a cursor is issued for and good for. */
export interface CursorList {
  firmId: string;
  /** `Type.field` of the connection: `Firm.lotsConnection`, `Part.lotsConnection`. */
  field: string;
  /** The parent row's id for a list under a row (`Part.lotsConnection`: the part), else absent. */
  parent?: string;
  /** The list's filter arguments (enum values, ids, instants); absent (null or undefined) ones are left out. */
  filters?: Readonly<Record<string, unknown>>;
}

/** Why a cursor is refused: it cannot be read, or it belongs to another list. */
export type CursorRefusal = 'CURSOR_MALFORMED' | 'CURSOR_FOREIGN';

export type DecodedCursor = { ok: true; key: SortKey } | { ok: false; reason: CursorRefusal; message: string };

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The tag of a list: 16 base64url characters of the SHA-256 of its firm, field, parent and
 * filters (in name order, absent ones left out, instants as ISO-8601). Two lists share a tag
 * only when they are the same list.
 * @example listTag({ firmId: 'avionix', field: 'Firm.lotsConnection', filters: { status: 'RELEASED', partId: undefined } })
 */
export function listTag(list: CursorList): string {
  const filters = Object.entries(list.filters ?? {})
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => [name, value instanceof Date ? value.toISOString() : value] as const)
    .sort(([a], [b]) => byCodePoint(a, b));
  const canonical = JSON.stringify([list.firmId, list.field, list.parent ?? null, filters]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, TAG_LENGTH);
}

/**
 * The cursor of the row with this sort key in the list of this tag.
 * @example encodeCursor(listTag(list), 'avionix-L0000042') // 'eyJ2IjoxLCJsIjoi…'
 */
export function encodeCursor(tag: string, key: SortKey): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, l: tag, k: key }), 'utf8').toString('base64url');
}

const malformed = (why: string): DecodedCursor => ({
  ok: false,
  reason: 'CURSOR_MALFORMED',
  message: `after is not a cursor of this data space (${why}): pass a pageInfo.endCursor or edges.cursor exactly as it was given, or leave after out to start at the first page.`,
});

function validKey(key: unknown, kind: SortKeyKind): key is SortKey {
  if (kind === 'seq') return typeof key === 'number' && Number.isSafeInteger(key) && key >= 1;
  return typeof key === 'string' && key.length >= 1 && key.length <= MAX_KEY_LENGTH && !CONTROL.test(key);
}

/**
 * Reads a cursor for the list of `tag`: its sort key, or why it is refused. Malformed: not
 * canonical base64url, not JSON, another version, extra or missing members, no list tag, or
 * (for this list) a key of the wrong kind. Foreign: a cursor of another list (another firm,
 * field, parent or filters; whatever its key). Pure; never echoes the cursor.
 * @example decodeCursor(cursor, listTag(list), 'id') // { ok: true, key: 'avionix-L0000042' }
 */
export function decodeCursor(text: string, tag: string, kind: SortKeyKind): DecodedCursor {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH) return malformed(`a cursor has 1 to ${MAX_CURSOR_LENGTH} characters`);
  if (!BASE64URL.test(text)) return malformed('a cursor is base64url');
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return malformed('a cursor is canonical base64url');
  let payload: unknown;
  try {
    payload = JSON.parse(bytes.toString('utf8'));
  } catch {
    return malformed('its content is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return malformed('its content is not an object');
  const p = payload as Record<string, unknown>;
  const members = Object.keys(p).sort();
  if (members.join() !== 'k,l,v') return malformed('its content has other members than v, l and k');
  if (p.v !== CURSOR_VERSION) return malformed(`it is not of version ${CURSOR_VERSION}`);
  if (typeof p.l !== 'string' || p.l.length !== TAG_LENGTH || !BASE64URL.test(p.l)) return malformed('its list tag is not one');
  if (p.l !== tag) {
    return {
      ok: false,
      reason: 'CURSOR_FOREIGN',
      message:
        'after is a cursor of another list (another firm, field, parent row or filter arguments): a cursor only continues the list that gave it. Ask with the same arguments, or leave after out to start at the first page.',
    };
  }
  if (!validKey(p.k, kind)) return malformed(kind === 'seq' ? 'its key is not a sequence number' : 'its key is not a row id');
  return { ok: true, key: p.k };
}
