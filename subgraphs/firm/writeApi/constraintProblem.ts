import type { InputProblem } from './writeRefusal.js';

/** What PostgreSQL (through postgres.js or PGlite, wrapped or not by drizzle) says about a refused statement or commit. */
interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  constraint_name?: unknown;
  detail?: unknown;
  message?: unknown;
  cause?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * The database's refusal of a write (SQLSTATE class 23, integrity constraint violation: an
 * in-firm foreign key checked at commit, a CHECK, a NOT NULL) as an input problem, or
 * undefined for any other error (which stays internal and masked). The rows were checked
 * before (validateWrite); what is left is what only the whole database knows, such as the
 * deletion of a part that lots still use. The reason quotes PostgreSQL's own words (the firm's
 * own data, told to the firm's own integration user).
 * @example constraintProblem(err) // { key: 'delete', code: 'CONSTRAINT_VIOLATED', reason: 'the write breaks lots_part_fk: Key (part_id)=(P1) is still referenced from table "lots".' }
 */
export function constraintProblem(error: unknown): InputProblem | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as PgErrorFields).cause, depth += 1) {
    const fields = e as PgErrorFields;
    const code = text(fields.code);
    if (!code || !/^23[0-9A-Z]{3}$/.test(code)) continue;
    const constraint = text(fields.constraint) ?? text(fields.constraint_name);
    const detail = text(fields.detail) ?? text(fields.message) ?? 'an integrity constraint';
    const deleting = /still referenced/.test(detail);
    return {
      key: deleting ? 'delete' : 'upsert',
      code: 'CONSTRAINT_VIOLATED',
      reason: `the write breaks ${constraint ?? `a constraint (SQLSTATE ${code})`}: ${detail}${deleting ? ' Delete or repoint those rows first, in this write or before it.' : ''}`,
    };
  }
  return undefined;
}
