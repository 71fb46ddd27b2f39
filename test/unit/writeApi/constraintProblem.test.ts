import { describe, expect, it } from 'vitest';
import { constraintProblem } from '../../../subgraphs/firm/writeApi/constraintProblem.js';

describe('constraintProblem', () => {
  it("turns PostgreSQL's integrity refusal (wrapped by drizzle or not) into an input problem", () => {
    const pg = Object.assign(new Error('update or delete on table "parts" violates foreign key constraint "lots_part_fk" on table "lots"'), {
      code: '23503',
      constraint_name: 'lots_part_fk',
      detail: 'Key (part_id)=(P1) is still referenced from table "lots".',
    });
    const wrapped = Object.assign(new Error('Failed query: commit'), { cause: pg });
    expect(constraintProblem(wrapped)).toEqual({
      key: 'delete',
      code: 'CONSTRAINT_VIOLATED',
      reason: 'the write breaks lots_part_fk: Key (part_id)=(P1) is still referenced from table "lots". Delete or repoint those rows first, in this write or before it.',
    });
    const check = Object.assign(new Error('new row violates check constraint'), { code: '23514', constraint: 'lots_status_check' });
    expect(constraintProblem(check)).toEqual({ key: 'upsert', code: 'CONSTRAINT_VIOLATED', reason: 'the write breaks lots_status_check: new row violates check constraint' });
  });

  it('leaves any other error alone (it stays internal and masked)', () => {
    expect(constraintProblem(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(constraintProblem(Object.assign(new Error('deadlock'), { code: '40P01' }))).toBeUndefined();
    expect(constraintProblem('boom')).toBeUndefined();
  });
});
