import { describe, expect, it } from 'vitest';
import { readDraft } from '../../../subgraphs/firm/notifications/notificationInput.js';

const OK = {
  kind: 'INVESTIGATION',
  receiverId: 'alumill',
  title: 'Plate out of tolerance',
  description: 'Thickness measured 0.2 mm over the upper limit on incoming inspection.',
  severity: 'CRITICAL',
  targetDate: '2026-12-20',
  lots: [{ firmId: 'alumill', lotId: 'alumill-L0005' }, { firmId: 'alumill', lotId: 'alumill-L0005' }],
};
const TODAY = '2026-12-04';

describe('readDraft', () => {
  it('reads a good draft, trimming text and merging duplicate lots', () => {
    const r = readDraft({ ...OK, title: '  Plate out of tolerance ' }, TODAY);
    expect(r).toEqual({ draft: { ...OK, lots: [{ firmId: 'alumill', lotId: 'alumill-L0005' }] } });
    expect(readDraft({ ...OK, targetDate: null }, TODAY)).toMatchObject({ draft: { targetDate: null } });
  });

  it.each([
    [{ title: '' }, 'input.title'],
    [{ title: 'x'.repeat(256) }, 'input.title'],
    [{ description: 'too short' }, 'input.description'],
    [{ description: 'x'.repeat(1001) }, 'input.description'],
    [{ severity: 'SEVERE' }, 'input.severity'],
    [{ kind: 'RECALL' }, 'input.kind'],
    [{ receiverId: '' }, 'input.receiverId'],
    [{ targetDate: '2026-02-30' }, 'input.targetDate'],
    [{ targetDate: '2026-12-03' }, 'input.targetDate'],
    [{ targetDate: 'tomorrow' }, 'input.targetDate'],
    [{ lots: [] }, 'input.lots'],
    [{ lots: Array.from({ length: 51 }, (_, i) => ({ firmId: 'alumill', lotId: `L${i}` })) }, 'input.lots'],
    [{ lots: [{ firmId: 'alumill' }] }, 'input.lots[0]'],
  ])('refuses %j naming %s', (change, key) => {
    const r = readDraft({ ...OK, ...change }, TODAY);
    expect('problems' in r && r.problems.map((p) => p.key)).toContain(key);
  });

  it('names every problem at once', () => {
    const r = readDraft({ kind: 'X', severity: 'Y', title: '', description: '', lots: [] }, TODAY);
    expect('problems' in r && r.problems.map((p) => p.key)).toEqual(['input.kind', 'input.severity', 'input.receiverId', 'input.title', 'input.description', 'input.lots']);
  });
});
