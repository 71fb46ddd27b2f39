import type { LoggedRead } from '../db/governanceTables.js';

/**
 * What an access log entry says, without its chain links (`prevHash`, `hash`): the part
 * that the hash covers.
 */
export interface AccessLogContent {
  /** Position in the chain, from 1. */
  seq: number;
  /** When the request arrived at the owner. */
  at: Date;
  callerFirm: string;
  callerSubject: string;
  roles: readonly string[];
  purpose: string | null;
  operationName: string | null;
  /** SHA-256 (hex) of the operation text the owner received. */
  operationHash: string;
  reads: readonly LoggedRead[];
  /** Fields refused, as `Type.field` (`Type.*` for a whole type). */
  deniedFields: readonly string[];
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (values: readonly string[]): string[] => [...values].sort(byCodePoint);

/**
 * The canonical text of an entry's content: JSON with a fixed key order, the instant as
 * ISO-8601 UTC with milliseconds, and every list that has no meaningful order sorted
 * (roles, reads by type, each read's fields and rules, denied fields). Two entries with
 * the same content have the same text whatever order a driver or jsonb gave their keys.
 * @example canonicalEntry({ seq: 1, at: new Date(0), callerFirm: 'skyframe', ... }) // '{"seq":1,"at":"1970-01-01T00:00:00.000Z",...}'
 */
export function canonicalEntry(content: AccessLogContent): string {
  return JSON.stringify({
    seq: content.seq,
    at: content.at.toISOString(),
    callerFirm: content.callerFirm,
    callerSubject: content.callerSubject,
    roles: sorted(content.roles),
    purpose: content.purpose,
    operationName: content.operationName,
    operationHash: content.operationHash,
    reads: [...content.reads]
      .sort((a, b) => byCodePoint(a.type, b.type))
      .map((r) => ({ type: r.type, fields: sorted(r.fields), rows: r.rows, rules: sorted(r.rules) })),
    deniedFields: sorted(content.deniedFields),
  });
}
