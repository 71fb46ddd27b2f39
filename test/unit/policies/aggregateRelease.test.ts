import { describe, expect, it } from 'vitest';
import type { AggregateAsk } from '../../../policies/aggregateAccess.js';
import { releaseTable } from '../../../policies/aggregateRelease.js';
import { aggregateScope } from '../../../policies/aggregateScope.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { explainAccess } from '../../../policies/explainAccess.js';
import { matchesRow } from '../../../policies/matchesRow.js';
import type { RolledUpGroup } from '../../../policies/rollUpCells.js';
import { caller, model, NOW, v2Policy } from './policyFixtures.js';
import { answer, verdict, subsets, type Answer, type Asker, type Row } from './releaseFixtures.js';

/** Inspections of structura; values are multiples of 1/4, so that every sum is exact in floating point. */
function inspections(): Row[] {
  const rows: Row[] = [];
  const add = (n: number, characteristic: string, unit: string, result: string, lotId: string, first: number, upperLimit: number | null = 200) => {
    for (let j = 0; j < n; j++) {
      rows.push({ firmId: 'structura', inspectionId: `qi${rows.length + 1}`, lotId, characteristic, unit, result, value: first + j * 0.25, upperLimit: j % 3 === 0 ? null : upperLimit });
    }
  };
  add(12, 'hardness', 'HB', 'PASS', 'L1', 148); // the finding: 12 passes ...
  add(1, 'hardness', 'HB', 'FAIL', 'L2', 158.5); // ... and one failure, alone in its cell
  add(6, 'thickness', 'mm', 'PASS', 'L1', 12);
  add(2, 'thickness', 'mm', 'FAIL', 'L2', 13.5);
  add(3, 'thickness', 'in', 'PASS', 'L3', 0.5);
  add(9, 'tensile', 'MPa', 'PASS', 'L3', 300, 420);
  add(4, 'tensile', 'MPa', 'FAIL', 'L2', 280, 420);
  add(5, 'tensile', 'MPa', 'FAIL', 'L4', 282, 420);
  add(6, 'porosity', 'mm', 'PASS', 'L4', 1);
  add(5, 'hardness', 'HB', 'PASS', 'L-secret', 150);
  return rows;
}

const ALUMILL_LIKE = effectivePolicy(
  v2Policy(`
  - id: analysts-benchmark
    who: { relationship: [member], roles: [analyst] }
    types: [QualityInspection]
    purposes: [benchmarking]
    mode: aggregate
    aggregate: { functions: [count, sum, avg, min, max], measures: [value], groupBy: [characteristic, unit, result], minGroupSize: 5 }
`),
  undefined,
  [],
);

const MANY = effectivePolicy(
  v2Policy(`
  - id: analysts-benchmark
    who: { relationship: [member], roles: [analyst] }
    types: [QualityInspection]
    purposes: [benchmarking]
    mode: aggregate
    aggregate: { functions: [count, sum, avg, min, max], measures: [value], groupBy: [characteristic, unit], minGroupSize: 3 }
  - id: analysts-fails
    who: { relationship: [member], roles: [analyst] }
    types: [QualityInspection]
    mode: aggregate
    rows: { result: FAIL }
    aggregate: { functions: [count, sum, max], measures: [value, upperLimit], groupBy: [characteristic, result], minGroupSize: 2 }
  - id: auditors-by-lot
    who: { relationship: [member], roles: [auditor] }
    types: [QualityInspection]
    mode: aggregate
    rows: { unit: { in: [mm, MPa] } }
    aggregate: { functions: [count, sum], measures: [value], groupBy: [lotId], minGroupSize: 4 }
  - id: no-secret-lot
    effect: deny
    who: { relationship: [member] }
    types: [QualityInspection]
    fields: "*"
    rows: { lotId: L-secret }
  - id: no-porosity-values-for-auditors
    effect: deny
    who: { relationship: [member], roles: [auditor] }
    types: [QualityInspection]
    fields: [value]
    rows: { characteristic: porosity }
  - id: no-limits-for-interns
    effect: deny
    who: { relationship: [member], roles: [intern] }
    types: [QualityInspection]
    fields: [upperLimit]
  - id: no-units-for-cuprum
    effect: deny
    who: { firms: [cuprum] }
    types: [QualityInspection]
    fields: [unit]
`),
  undefined,
  [],
);

const ANALYST: Asker = { firm: 'avionix', roles: ['analyst'], purpose: 'benchmarking' };
const ASKERS: Asker[] = [
  ANALYST,
  { firm: 'avionix', roles: ['analyst'] },
  { firm: 'avionix', roles: ['auditor'], purpose: 'benchmarking' },
  { firm: 'avionix', roles: ['analyst', 'auditor'], purpose: 'benchmarking' },
  { firm: 'avionix', roles: ['analyst', 'intern'] },
  { firm: 'cuprum', roles: ['analyst', 'auditor'], purpose: 'benchmarking' },
];
const FIELDS = ['characteristic', 'unit', 'result', 'lotId'];
const MEASURES: AggregateAsk['measures'][] = [
  [{ fn: 'count' }],
  [{ fn: 'count' }, { fn: 'sum', field: 'value' }],
  [{ fn: 'count' }, { fn: 'sum', field: 'value' }, { fn: 'min', field: 'value' }, { fn: 'max', field: 'value' }],
  [{ fn: 'count' }, { fn: 'sum', field: 'upperLimit' }, { fn: 'max', field: 'upperLimit' }],
];

const groupsOf = (a: Answer): RolledUpGroup[] => (a.allowed ? a.groups : []);
const group = (a: Answer, ...values: string[]) => groupsOf(a).find((g) => g.key.every((k, i) => k.value === values[i]));

/** Every request each asker may make of MANY (every grouping, every measure list), with its verdict and answer. */
function everyAnswer(policy: typeof MANY, rows: readonly Row[]) {
  return ASKERS.flatMap((who) =>
    subsets(FIELDS).flatMap((groupBy) =>
      MEASURES.flatMap((measures) => {
        const ask = { groupBy, measures };
        const v = verdict(policy, who, ask);
        return v.allowed ? [{ who, ask, verdict: v, answer: answer(policy, rows, who, ask) }] : [];
      }),
    ),
  );
}

describe('the aggregate release table: every answer is a roll-up of the same released cells', () => {
  it('the subtraction of the finding gives nothing: the coarse group counts only the rows of released cells', () => {
    const rows = inspections().filter((r) => r.lotId !== 'L-secret');
    const hardness = rows.filter((r) => r.characteristic === 'hardness');
    // Not vacuous: a release per grouping would show hardness (13 ≥ k) and hide its single FAIL (1 < k).
    expect(hardness.length).toBe(13);
    expect(hardness.filter((r) => r.result === 'FAIL').length).toBe(1);
    const ask = (groupBy: string[]) => answer(ALUMILL_LIKE, rows, ANALYST, { groupBy, measures: [{ fn: 'count' }, { fn: 'avg', field: 'value' }] });
    const coarse = group(ask(['characteristic']), 'hardness');
    const fine = group(ask(['characteristic', 'result']), 'hardness', 'PASS');
    expect(group(ask(['characteristic', 'result']), 'hardness', 'FAIL')).toBeUndefined();
    expect(coarse?.count).toBe(12);
    expect(coarse).toEqual({ ...fine, key: [{ field: 'characteristic', value: 'hardness' }] });
    // 13 × 150.14787 − 12 × 149.44544 was the hidden value; now the difference is nothing at all.
    expect((coarse?.count ?? 0) * (coarse?.values[1] ?? 0) - (fine?.count ?? 0) * (fine?.values[1] ?? 0)).toBe(0);
    const whole = ask([]);
    expect(whole.allowed && whole.suppressedGroups).toBe(3); // hardness FAIL, thickness FAIL, thickness in
    expect(groupsOf(whole)[0]?.count).toBe(rows.length - 1 - 2 - 3);
  });

  it('for every pair of groupings over the same cells, the coarse n, sum, min and max are exactly those of the finer groups', () => {
    let pairs = 0;
    for (const rows of [inspections()]) {
      const answers = everyAnswer(MANY, rows);
      for (const coarse of answers) {
        for (const fine of answers) {
          const sameCells = coarse.who.firm === fine.who.firm && JSON.stringify(coarse.verdict) === JSON.stringify({ ...fine.verdict, rules: coarse.verdict.rules });
          const finer = coarse.ask.groupBy.every((f) => fine.ask.groupBy.includes(f)) && fine.ask.groupBy.length > coarse.ask.groupBy.length;
          if (!sameCells || !finer || JSON.stringify(coarse.ask.measures) !== JSON.stringify(fine.ask.measures)) continue;
          pairs++;
          for (const g of groupsOf(coarse.answer)) {
            const parts = groupsOf(fine.answer).filter((p) => g.key.every((k) => p.key.find((q) => q.field === k.field)?.value === k.value));
            expect(g.count).toBe(parts.reduce((n, p) => n + p.count, 0));
            coarse.ask.measures.forEach((m, i) => {
              const values = parts.map((p) => p.values[i] ?? null).filter((v): v is number => v !== null);
              const expected = { count: g.count, sum: values.reduce((a, b) => a + b, 0), min: Math.min(...values), max: Math.max(...values), avg: NaN }[m.fn];
              expect(g.values[i], `${m.fn} by ${coarse.ask.groupBy.join(',')} ⊂ ${fine.ask.groupBy.join(',')}`).toBe(values.length === 0 && m.fn !== 'count' ? null : expected);
            });
          }
          expect(groupsOf(fine.answer).reduce((n, g) => n + g.count, 0)).toBe(groupsOf(coarse.answer).reduce((n, g) => n + g.count, 0));
        }
      }
    }
    expect(pairs).toBeGreaterThan(50);
  });

  it('no answer, of any grouping, rule, role or purpose, depends on a suppressed cell or on prohibited rows', () => {
    const rows = inspections();
    const before = everyAnswer(MANY, rows);
    const table = before[0]?.verdict.cells;
    expect(table).toEqual({ groupBy: ['characteristic', 'unit', 'result', 'lotId'], hiddenKeys: [{ kind: 'cmp', field: 'result', op: 'eq', value: 'FAIL' }, { kind: 'cmp', field: 'unit', op: 'in', value: ['mm', 'MPa'] }] });
    // The cells of avionix's table (k = 4), from the rows it may aggregate.
    const k = before[0]?.verdict.minGroupSize ?? 0;
    const rowsFilter = verdict(MANY, { firm: 'avionix', roles: ['analyst', 'auditor'], purpose: 'benchmarking' }, { groupBy: [], measures: [{ fn: 'count' }] });
    if (!rowsFilter.allowed || rowsFilter.rowFilter === 'none') throw new Error('expected a verdict');
    const cellOf = (r: Row) => JSON.stringify([...FIELDS.map((f) => r[f]), ...(table?.hiddenKeys ?? []).map((h) => matchesRow(h, r))]);
    const inTable = rows.filter((r) => rowsFilter.rowFilter === null || (rowsFilter.rowFilter !== 'none' && matchesRow(rowsFilter.rowFilter, r)));
    const sizes = new Map<string, number>();
    for (const r of inTable) sizes.set(cellOf(r), (sizes.get(cellOf(r)) ?? 0) + 1);
    const small = [...sizes].filter(([, n]) => n < k).map(([c]) => c);
    expect(small.length).toBeGreaterThan(2); // the single hardness FAIL among them
    expect(small.some((c) => c.startsWith('["hardness","HB","FAIL"'))).toBe(true);
    // Change every value of the suppressed cells, of the secret lot and of porosity (a prohibited value for auditors): nothing changes.
    const hidden = (r: Row) => small.includes(cellOf(r)) || r.lotId === 'L-secret' || r.characteristic === 'porosity';
    const changed = rows.map((r) => (hidden(r) ? { ...r, value: Number(r.value) * 3 + 1000, upperLimit: 9999 } : r));
    expect(changed.filter((r, i) => r.value !== rows[i]?.value).length).toBeGreaterThan(15);
    const after = everyAnswer(MANY, changed);
    expect(after.map((a) => a.answer)).toEqual(before.map((a) => a.answer));
    // And removing one row of a suppressed cell (still not empty) changes nothing either.
    const smallCell = small.find((c) => inTable.filter((r) => cellOf(r) === c).length >= 2) ?? '';
    const dropOne = rows.filter((r) => r !== inTable.find((x) => cellOf(x) === smallCell));
    expect(dropOne.length).toBe(rows.length - 1);
    expect(everyAnswer(MANY, dropOne).map((a) => a.answer)).toEqual(before.map((a) => a.answer));
  });

  it('one table per caller firm: the same cells and k whatever the roles and purpose of the token, k the largest of its grants', () => {
    const tables = ASKERS.filter((a) => a.firm === 'avionix').map((who) => {
      const c = caller(who.firm, who.roles);
      if (who.purpose) c.purpose = who.purpose;
      return releaseTable(decideAccess(aggregateScope(MANY), model, { caller: c, relationships: ['member'], type: 'QualityInspection', now: NOW }));
    });
    for (const t of tables) expect(t).toEqual(tables[0]);
    expect(tables[0]?.minGroupSize).toBe(4); // auditors-by-lot's k applies to the analysts' answers too
    expect([...(tables[0]?.grants.keys() ?? [])]).toEqual(['analysts-benchmark', 'analysts-fails', 'auditors-by-lot']);
    for (const a of everyAnswer(MANY, inspections())) if (a.who.firm === 'avionix') expect(a.verdict.minGroupSize).toBe(4);
    // A role or purpose without any aggregate grant gets nothing, as before.
    expect(verdict(MANY, { firm: 'avionix', roles: ['planner'] }, { groupBy: [], measures: [{ fn: 'count' }] }).allowed).toBe(false);
  });

  it('prohibitions: rows of a row-limited prohibition leave every cell; a field hidden on every row leaves the table (firm-wide) or refuses the roles it names', () => {
    const rows = inspections();
    const byCharacteristic = answer(MANY, rows, ANALYST, { groupBy: ['characteristic'], measures: [{ fn: 'count' }] });
    // porosity's values are prohibited to auditors on those rows: out of avionix's table, for its analysts too
    expect(group(byCharacteristic, 'porosity')).toBeUndefined();
    expect(group(byCharacteristic, 'hardness')?.count).toBe(12); // neither the FAIL nor the secret lot's rows
    // interns may not see upperLimit: they are refused it, the table keeps it for the firm's analysts
    const limits: AggregateAsk = { groupBy: ['characteristic'], measures: [{ fn: 'max', field: 'upperLimit' }] };
    const intern = verdict(MANY, { firm: 'avionix', roles: ['analyst', 'intern'] }, limits);
    expect(intern.allowed === false && intern.reason).toMatch(/field upperLimit of QualityInspection: prohibited by rule no-limits-for-interns/);
    expect(verdict(MANY, { firm: 'avionix', roles: ['analyst'] }, limits).allowed).toBe(true);
    // cuprum may never see units: unit is not in cuprum's table, and grouping by it is refused
    const cuprum = { firm: 'cuprum', roles: ['analyst'], purpose: 'benchmarking' };
    const refused = verdict(MANY, cuprum, { groupBy: ['unit'], measures: [{ fn: 'count' }] });
    expect(refused.allowed === false && refused.reason).toBe(
      'firm structura may not show cuprum (member; roles analyst) the field unit of QualityInspection: prohibited by rule no-units-for-cuprum (firm policy)',
    );
    const allowed = verdict(MANY, cuprum, { groupBy: ['characteristic'], measures: [{ fn: 'count' }] });
    expect(allowed.allowed && allowed.cells.groupBy).toEqual(['characteristic', 'result', 'lotId']);
  });

  it('a grant with a row filter sums only the cells on its rows; a grant without sums every released cell', () => {
    const rows = inspections();
    const noPurpose = answer(MANY, rows, { firm: 'avionix', roles: ['analyst'] }, { groupBy: ['characteristic'], measures: [{ fn: 'count' }, { fn: 'sum', field: 'value' }] });
    const purpose = answer(MANY, rows, ANALYST, { groupBy: ['characteristic'], measures: [{ fn: 'count' }, { fn: 'sum', field: 'value' }] });
    // analysts-fails alone: the FAIL cells of at least 4 rows (tensile L2 and L4); hardness' single FAIL is not one
    expect(groupsOf(noPurpose)).toEqual([{ key: [{ field: 'characteristic', value: 'tensile' }], count: 9, values: [9, 280 * 4 + 1.5 + 282 * 5 + 2.5] }]);
    expect(group(purpose, 'tensile')?.count).toBe(18);
  });

  it('explains the release table, and says where min and max disclose single values', () => {
    const c = caller('avionix', ['analyst']);
    c.purpose = 'benchmarking';
    const e = explainAccess(MANY, model, { caller: c, relationships: ['member'], type: 'QualityInspection', now: NOW });
    expect(e.aggregate).toBe(
      "count, sum, avg, min, max of value by characteristic, unit, groups of at least 3 rows; min and max disclose one row's value per group (rule analysts-benchmark); " +
        "count, sum, max of value, upperLimit by characteristic, result, groups of at least 2 rows; max discloses one row's value per group on rows where result = \"FAIL\" (rule analysts-fails); " +
        "every answer sums the cells of one release table for avionix (rows by characteristic, unit, result, lotId and by which rules' rows they are; at least 4 rows a cell): a smaller cell is held back and counted in no group, at any grouping",
    );
  });
});
