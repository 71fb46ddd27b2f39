import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../policies/parsePolicy.js';
import { FILE, model, ruleIssues, v2Issues, v2Policy } from './policyFixtures.js';

const R = (key: string, id = 'r'): string => `policy file ${FILE}, rule "${id}" (rules[0]), key ${key}: `;

function rule(body: string, id = 'r'): string {
  return `  - id: ${id}\n${body.replace(/^/gm, '    ')}\n`;
}

const WHO = 'who: { relationship: [customer] }';
const STOCK = `${WHO}\ntypes: [InventoryPosition]\nfields: [onHand, updatedAt, site]`;
const QI = `${WHO}\ntypes: [QualityInspection]\nmode: aggregate`;
const AGG = (body: string) => rule(`${QI}\naggregate:\n${body.replace(/^/gm, '  ')}`);

describe('version 2 rules: what loads', () => {
  it('reads every v2 key with defaults for the absent ones', () => {
    const [coarse, agg, deny] = v2Policy(
      rule(`${STOCK}\npurposes: [planning]\nvalid: { from: "2026-09-01", until: "2027-03-31T12:00:00Z" }\nmode: coarsened\ncoarsen: { onHand: { step: 50 }, updatedAt: { to: week } }\nreciprocity: { types: [InventoryPosition] }`, 'a') +
        rule(`${QI}\naggregate: { functions: [count, avg], measures: [value], groupBy: [characteristic], minGroupSize: 5 }`, 'b') +
        rule('effect: deny\nwho: { relationship: [member] }\ntypes: [Part]\nfields: [unitCost]', 'c'),
    ).rules;
    expect(coarse).toMatchObject({
      effect: 'permit',
      origin: 'firm',
      purposes: ['planning'],
      valid: { from: new Date('2026-09-01T00:00:00Z'), until: new Date('2027-03-31T12:00:00Z') },
      mode: 'coarsened',
      coarsen: { onHand: { step: 50 }, updatedAt: { to: 'week' } },
      aggregate: null,
      reciprocity: ['InventoryPosition'],
    });
    expect(agg).toMatchObject({ mode: 'aggregate', fields: ['characteristic', 'value'], aggregate: { functions: ['count', 'avg'], measures: ['value'], groupBy: ['characteristic'], minGroupSize: 5 } });
    expect(deny).toMatchObject({ effect: 'deny', fields: ['unitCost'], mode: 'full', purposes: [], reciprocity: [] });
  });

  it('a version 1 file loads unchanged, with v2 defaults', () => {
    const p = parsePolicy(`version: 1\nfirm: structura\nrules:\n${rule(`${WHO}\ntypes: [Part]\nfields: "*"`)}`, { file: FILE, model });
    expect(p.version).toBe(1);
    expect(p.rules[0]).toMatchObject({ effect: 'permit', purposes: [], valid: {}, mode: 'full', coarsen: {}, aggregate: null, reciprocity: [] });
  });
});

describe('version 2 rules: every new error, naming file, rule and key', () => {
  it.each([
    // v2 keys in a v1 file
    ['v1', rule(`${WHO}\ntypes: [Part]\nfields: "*"\npurposes: [planning]`), [`${R('purposes')}key "purposes" needs version: 2 (this file is version 1)`]],
    // effect
    ['v2', rule(`effect: forbid\n${WHO}\ntypes: [Part]\nfields: "*"`), [`${R('effect')}unknown effect "forbid" (expected permit or deny)`]],
    // purposes
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\npurposes: [plannning]`), [`${R('purposes[0]')}unknown purpose "plannning" (cluster purposes: planning, quality-investigation, traceability, benchmarking)`]],
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\npurposes: []`), [`${R('purposes')}empty purposes list: the rule can never match (omit purposes for a rule that needs none)`]],
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\npurposes: planning`), [`${R('purposes')}expected a list of purpose ids, got a string "planning"`]],
    // valid
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\nvalid: { until: "2026-11-26" }`), [`${R('valid.until')}the rule can never match: it expired at 2026-11-27T00:00:00.000Z (remove the rule or extend valid.until)`]],
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\nvalid: { from: "2027-02-01", until: "2027-01-01T00:00:00Z" }`), [`${R('valid.until')}the rule can never match: valid.until (2027-01-01T00:00:00.000Z) is not after valid.from (2027-02-01T00:00:00.000Z)`]],
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\nvalid: { from: "2027-02-30" }`), [`${R('valid.from')}expected an ISO date or date-time (e.g. "2026-12-01" or "2026-12-01T08:00:00Z"), got a string "2027-02-30"`]],
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\nvalid: { to: "2027-01-01" }`), [`${R('valid.to')}unknown key "to" (expected one of from, until)`]],
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\nvalid: {}`), [`${R('valid')}empty valid: give from, until or both (omit valid for a rule always in force)`]],
    // mode and coarsen
    ['v2', rule(`${WHO}\ntypes: [Part]\nfields: "*"\nmode: blurred`), [`${R('mode')}unknown mode "blurred" (expected one of full, coarsened, aggregate, membership)`]],
    ['v2', rule(`${WHO}\ntypes: [Lot]\nfields: [status]\nmode: membership`), [`${R('fields')}with mode membership, omit fields and exceptFields: the rule shares YES / NO / UNKNOWN answers, no field`]],
    ['v2', rule(`${WHO}\ntypes: [Part]\nmode: membership`), [`${R('types')}mode membership answers chain-membership questions about lots: types must be [Lot]`]],
    ['v2', rule(`${STOCK}\nmode: coarsened`), [`${R('coarsen')}mode coarsened needs coarsen (the fields to coarsen and how)`]],
    ['v2', rule(`${STOCK}\ncoarsen: { onHand: { step: 5 } }`), [`${R('coarsen')}coarsen is only allowed with mode: coarsened`]],
    ['v2', rule(`${STOCK}\nmode: coarsened\ncoarsen: {}`), [`${R('coarsen')}empty coarsen: name the fields to coarsen (or use mode: full)`]],
    ['v2', rule(`${STOCK}\nmode: coarsened\ncoarsen: { allocated: { step: 5 } }`), [`${R('coarsen.allocated')}"allocated" is not granted by fields (or is excepted), so coarsening it has no effect`]],
    ['v2', rule(`${STOCK}\nmode: coarsened\ncoarsen: { onHnd: { step: 5 } }`), [`${R('coarsen.onHnd')}unknown field "onHnd" for type InventoryPosition`]],
    ['v2', rule(`${WHO}\ntypes: [InventoryPosition]\nfields: "*"\nmode: coarsened\ncoarsen: { part: { step: 5 } }`), [`${R('coarsen.part')}field "part" of InventoryPosition is not scalar: only scalar fields can be coarsened`]],
    ['v2', rule(`${WHO}\ntypes: [InventoryPosition]\nfields: "*"\nmode: coarsened\ncoarsen: { positionId: { step: 5 } }`), [`${R('coarsen.positionId')}"positionId" is a key field of InventoryPosition: key fields are never coarsened`]],
    ['v2', rule(`${STOCK}\nmode: coarsened\ncoarsen: { onHand: { step: 0 } }`), [`${R('coarsen.onHand.step')}step must be a positive number, got a number 0`]],
    ['v2', rule(`${STOCK}\nmode: coarsened\ncoarsen: { onHand: { step: 5, to: week } }`), [`${R('coarsen.onHand')}expected { step: <number> } or { to: day|week|month } (exactly one), got keys step, to`]],
    ['v2', rule(`${STOCK}\nmode: coarsened\ncoarsen: { updatedAt: { step: 5 } }`), [`${R('coarsen.updatedAt.step')}"updatedAt" holds dates: coarsen it with to: day|week|month, not step`]],
    ['v2', rule(`${STOCK}\nmode: coarsened\ncoarsen: { onHand: { to: week } }`), [`${R('coarsen.onHand.to')}"onHand" is not a date field (the names of date fields end in At, Date, Start or End, or are eta): to only truncates dates (use step for numbers)`]],
    ['v2', rule(`${STOCK}\nmode: coarsened\ncoarsen: { updatedAt: { to: year } }`), [`${R('coarsen.updatedAt.to')}unknown date grain a string "year" (expected one of day, week, month)`]],
    // aggregate
    ['v2', rule(QI), [`${R('aggregate')}mode aggregate needs aggregate (functions, measures, groupBy, minGroupSize)`]],
    ['v2', rule(`${QI}\nfields: "*"\naggregate: { functions: [count], minGroupSize: 5 }`), [`${R('fields')}with mode aggregate, omit fields and exceptFields: aggregate.groupBy and aggregate.measures say what is shared`]],
    ['v2', rule(`${STOCK}\naggregate: { functions: [count], minGroupSize: 5 }`), [`${R('aggregate')}aggregate is only allowed with mode: aggregate`]],
    ['v2', AGG('functions: [count, median]\nminGroupSize: 5'), [`${R('aggregate.functions[1]')}unknown aggregate function "median" (expected one of count, sum, avg, min, max)`]],
    ['v2', AGG('functions: []\nminGroupSize: 5'), [`${R('aggregate.functions')}empty functions list: the rule can never match`]],
    ['v2', AGG('minGroupSize: 5'), [`${R('aggregate.functions')}missing key functions (some of count, sum, avg, min, max)`]],
    ['v2', AGG('functions: [avg, max]\nminGroupSize: 5'), [`${R('aggregate.measures')}functions avg, max need measures (the numeric fields they may use)`]],
    ['v2', AGG('functions: [avg]\nmeasures: [unit]\nminGroupSize: 5'), []],
    ['v2', AGG('functions: [avg]\nmeasures: [inspectedAt]\nminGroupSize: 5'), [`${R('aggregate.measures[0]')}"inspectedAt" is not a number: measures must be numeric fields`]],
    ['v2', AGG('functions: [avg]\nmeasures: [lot]\nminGroupSize: 5'), [`${R('aggregate.measures[0]')}field "lot" of QualityInspection is not scalar: only scalar fields can be measured`]],
    ['v2', AGG('functions: [count]\ngroupBy: [inspectionId]\nminGroupSize: 5'), [`${R('aggregate.groupBy[0]')}grouping by the key field "inspectionId" makes groups of one row, which are never returned`]],
    ['v2', AGG('functions: [count]\ngroupBy: [charactristic]\nminGroupSize: 5'), [`${R('aggregate.groupBy[0]')}unknown field "charactristic" for type QualityInspection`]],
    ['v2', AGG('functions: [count]\nminGroupSize: 1'), [`${R('aggregate.minGroupSize')}minGroupSize must be an integer of at least 2 (smaller groups are never returned), got a number 1`]],
    ['v2', AGG('functions: [count]'), [`${R('aggregate.minGroupSize')}missing key minGroupSize (the smallest group ever returned, at least 2)`]],
    ['v2', AGG('functions: [count]\nminGroupSize: 5\nk: 3'), [`${R('aggregate.k')}unknown key "k" (expected one of functions, measures, groupBy, minGroupSize)`]],
    // reciprocity
    ['v2', rule(`${STOCK}\nreciprocity: { types: [Stock] }`), [`${R('reciprocity.types[0]')}unknown type "Stock" (expected one of Part, Lot, PurchaseOrder, OrderConfirmation, Shipment, InventoryPosition, ProductionRun, QualityInspection, SensorAnomaly, SensorReading)`]],
    ['v2', rule(`${STOCK}\nreciprocity: { types: [] }`), [`${R('reciprocity.types')}empty types list: the rule can never match (omit reciprocity for none)`]],
    ['v2', rule(`${STOCK}\nreciprocity: [InventoryPosition]`), [`${R('reciprocity')}expected an object with types (the types the caller must grant the owner in return), got a list`]],
    ['v2', rule(`${STOCK}\nreciprocity: { kinds: [Lot] }`), [`${R('reciprocity.kinds')}unknown key "kinds" (expected one of types)`]],
    // deny rules
    ['v2', rule(`effect: deny\n${STOCK}\nmode: coarsened`), [`${R('mode')}key "mode" is not allowed on a deny rule (a prohibition says only who, types, fields, rows and valid)`]],
    ['v2', rule(`effect: deny\n${STOCK}\npurposes: [planning]`), [`${R('purposes')}key "purposes" is not allowed on a deny rule (a prohibition says only who, types, fields, rows and valid)`]],
    ['v2', rule(`effect: deny\n${STOCK}\nreciprocity: { types: [Lot] }`), [`${R('reciprocity')}key "reciprocity" is not allowed on a deny rule (a prohibition says only who, types, fields, rows and valid)`]],
    ['v2', rule(`effect: deny\n${WHO}\ntypes: [Shipment]\nfields: "*"\nexceptFields: [carrier]`), [`${R('exceptFields')}key "exceptFields" is not allowed on a deny rule (a prohibition says only who, types, fields, rows and valid)`]],
    ['v2', rule(`effect: deny\n${WHO}\ntypes: [Shipment]\nfields: [carrier, shipmentId]`), [`${R('fields[1]')}"shipmentId" is a key field of Shipment: a prohibition cannot hide the key fields of a visible row (deny fields: "*" to hide the rows)`]],
    // who: new relationships; the owner is never its own member
    ['v2', rule('who: { relationship: [any-customer, member], firms: [structura] }\ntypes: [Part]\nfields: "*"'), [`${R('who.firms[0]')}the rule can never match: the owner "structura" is never its own any-customer or member (use relationship: [self])`]],
    // row filter: not
    ['v2', rule(`${WHO}\ntypes: [Shipment]\nfields: "*"\nrows: { not: { carier: DHL } }`), [`${R('rows.not.carier')}unknown field "carier" for type Shipment (a row filter may test firmId, shipmentId, customerId, shippedAt, eta, deliveredAt, status, carrier)`]],
  ])('%s %#', (version, rules, messages) => {
    expect(version === 'v1' ? ruleIssues(rules) : messages.length === 0 ? [] : v2Issues(rules)).toEqual(messages);
    if (messages.length === 0) expect(() => v2Policy(rules)).not.toThrow();
  });

  it('reports several problems of one rule at once', () => {
    expect(v2Issues(rule(`effect: deny\n${STOCK}\nmode: aggregate\npurposes: [x]`))).toHaveLength(2);
  });

  it('without a vocabulary or a clock, purposes and windows are not checked against them', () => {
    const text = `version: 2\nfirm: structura\nrules:\n${rule(`${WHO}\ntypes: [Part]\nfields: "*"\npurposes: [anything]\nvalid: { until: "2020-01-01" }`)}`;
    expect(parsePolicy(text, { file: FILE, model }).rules[0]?.purposes).toEqual(['anything']);
  });
});
