import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { FirmContext } from '../../../subgraphs/firm/firmContext.js';
import { ownerRoleOnly, WRITE_ROLE } from '../../../subgraphs/firm/ownerRole.js';

/** The part of a firm's context the guard reads: the firm and the verified caller. */
function ctx(callerFirm: string, roles: string[]): FirmContext {
  return { firmId: 'skyframe', access: { caller: { firmId: callerFirm, subject: 'u', roles, issuer: 'i' } } } as unknown as FirmContext;
}

function refusal(run: () => unknown): Record<string, unknown> | undefined {
  try {
    run();
  } catch (error) {
    return { message: (error as GraphQLError).message, ...(error as GraphQLError).extensions };
  }
  return undefined;
}

describe('ownerRoleOnly: declared once, the guard of every resolver of a map', () => {
  const calls: string[] = [];
  const guarded = ownerRoleOnly(WRITE_ROLE, 'write its data', {
    Mutation: { writeRows: (_r: unknown, a: { firmId: string }, _c: FirmContext) => calls.push(`writeRows ${a.firmId}`) },
    Firm: { something: (_r: unknown, _a: unknown, _c: FirmContext) => calls.push('something') },
  });

  it("lets the owner's own users with the role through, to the resolver itself", () => {
    guarded.Mutation.writeRows(undefined, { firmId: 'skyframe' }, ctx('skyframe', ['planner', 'integration']));
    guarded.Firm.something(undefined, {}, ctx('skyframe', ['integration']));
    expect(calls).toEqual(['writeRows skyframe', 'something']);
  });

  it("refuses another firm's users whatever their roles, and the owner's users without the role, before the resolver runs", () => {
    calls.length = 0;
    for (const c of [ctx('structura', ['integration']), ctx('structura', ['admin']), ctx('skyframe', ['admin']), ctx('skyframe', [])]) {
      expect(refusal(() => guarded.Mutation.writeRows(undefined, { firmId: 'skyframe' }, c))).toEqual({
        message: "Only firm skyframe's own users with the integration role may write its data.",
        code: 'FORBIDDEN',
        firmId: 'skyframe',
        role: 'integration',
      });
    }
    expect(calls).toEqual([]);
  });

  it('refuses a firmId argument naming another firm as OWNER_MISMATCH, even for the owner', () => {
    expect(refusal(() => guarded.Mutation.writeRows(undefined, { firmId: 'structura' }, ctx('skyframe', ['integration'])))).toMatchObject({
      code: 'OWNER_MISMATCH',
      firmId: 'skyframe',
    });
    expect(calls).toEqual([]);
  });
});
