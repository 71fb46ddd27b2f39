import { describe, expect, it } from 'vitest';
import { joiningFirmProblems } from '../../../cluster/joiningFirm.js';
import { DEMO_TOPOLOGY } from '../../../demo/topology.js';

const members = DEMO_TOPOLOGY.members;
const keys = (problems: { key: string }[]): string[] => problems.map((p) => p.key);

describe('a firm joining the demo cluster', () => {
  it('may join one tier below its customers', () => {
    expect(joiningFirmProblems(members, { id: 'titanforge', tier: 2, supplies: ['structura'] })).toEqual([]);
    expect(joiningFirmProblems(members, { id: 'bolts', tier: 3, supplies: ['precimach', 'circuitra'] })).toEqual([]);
  });

  it('is refused an id that is a member, reserved or malformed', () => {
    expect(joiningFirmProblems(members, { id: 'precimach', tier: 2, supplies: ['structura'] })).toEqual([{ key: '--id', message: '"precimach" is already a member of the cluster' }]);
    expect(keys(joiningFirmProblems(members, { id: 'operator', tier: 2, supplies: ['structura'] }))).toEqual(['--id']);
    expect(keys(joiningFirmProblems(members, { id: 'Titan_Forge', tier: 2, supplies: ['structura'] }))).toEqual(['--id']);
  });

  it('is refused a customer that is not a member, naming the members', () => {
    const [problem] = joiningFirmProblems(members, { id: 'titanforge', tier: 2, supplies: ['boeing'] });
    expect(problem?.key).toBe('--supplies');
    expect(problem?.message).toMatch(/^"boeing" is not a member of the cluster \(members: skyframe, structura/);
    expect(keys(joiningFirmProblems(members, { id: 'titanforge', tier: 2, supplies: [] }))).toEqual(['--supplies']);
  });

  it("is refused a tier that is not its customers' + 1, or is the lead's", () => {
    expect(joiningFirmProblems(members, { id: 'titanforge', tier: 3, supplies: ['structura'] })).toEqual([
      { key: '--tier', message: 'tier 3 does not fit: structura is tier 1, so its supplier is tier 2' },
    ]);
    expect(keys(joiningFirmProblems(members, { id: 'titanforge', tier: 1, supplies: ['structura'] }))).toEqual(['--tier']);
    expect(keys(joiningFirmProblems(members, { id: 'titanforge', tier: 0, supplies: ['skyframe'] }))).toEqual(['--tier', '--tier']);
    expect(keys(joiningFirmProblems(members, { id: 'bolts', tier: 3, supplies: ['precimach', 'structura'] }))).toEqual(['--tier']);
  });
});
