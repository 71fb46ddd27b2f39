import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../policies/parsePolicy.js';
import { PolicyError } from '../../../policies/PolicyError.js';
import { FILE, issuesOf, model, ruleIssues } from './policyFixtures.js';

const AT = `policy file ${FILE}`;

function rule(body: string, id = 'r'): string {
  return `  - id: ${id}\n${body.replace(/^/gm, '    ')}\n`;
}

const GOOD = 'who: { relationship: [customer] }\ntypes: [Part]\nfields: "*"';

describe('validatePolicy: the document', () => {
  it('accepts a valid policy, and an empty rule list (deny everything)', () => {
    const p = parsePolicy(`version: 1\nfirm: structura\nrules:\n${rule(GOOD)}`, { file: FILE, model, expectedFirm: 'structura' });
    expect(p).toMatchObject({ version: 1, firm: 'structura', file: FILE });
    expect(p.rules[0]).toEqual({
      id: 'r', index: 0, origin: 'firm', effect: 'permit', who: { relationship: ['customer'] }, types: ['Part'], fields: '*', exceptFields: [], rows: null,
      purposes: [], valid: {}, mode: 'full', coarsen: {}, aggregate: null, reciprocity: [],
    });
    expect(parsePolicy('version: 1\nfirm: structura\nrules: []', { file: FILE, model }).rules).toEqual([]);
  });

  it('throws one PolicyError, code POLICY_INVALID, with file, ruleId, path and every issue', () => {
    const text = `version: 1\nfirm: structura\nrules:\n${rule(GOOD, 'ok')}${rule('who: { relationship: [custommer] }\ntypes: [Part]\nfields: [nme]', 'bad')}`;
    let error: unknown;
    try {
      parsePolicy(text, { file: FILE, model });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const e = error as PolicyError;
    expect(e.code).toBe('POLICY_INVALID');
    expect(e.file).toBe(FILE);
    expect(e.ruleId).toBe('bad');
    expect(e.path).toBe('rules[1].who.relationship[0]');
    expect(e.issues.map((i) => i.path)).toEqual(['rules[1].who.relationship[0]', 'rules[1].fields[0]']);
    expect(e.message).toBe(
      [
        `policy file ${FILE} is invalid (2 problems):`,
        `  - ${AT}, rule "bad" (rules[1]), key who.relationship[0]: unknown relationship "custommer" (expected one of self, customer, supplier, any-customer, any-supplier, member)`,
        `  - ${AT}, rule "bad" (rules[1]), key fields[0]: unknown field "nme" for type Part`,
      ].join('\n'),
    );
  });

  it('a single issue is the whole message', () => {
    expect(() => parsePolicy('version: 3\nfirm: structura\nrules: []', { file: FILE, model })).toThrow(
      `${AT}, key version: unsupported version 3 (expected 1 or 2)`,
    );
    expect(issuesOf('version: 3\nfirm: structura\nrules: []')).toHaveLength(1);
  });

  it.each([
    ['version: 3\nfirm: structura\nrules: []', `${AT}, key version: unsupported version 3 (expected 1 or 2)`],
    ['version: "1"\nfirm: structura\nrules: []', `${AT}, key version: unsupported version "1" (expected 1 or 2)`],
    ['firm: structura\nrules: []', `${AT}, key version: missing key version (expected 1 or 2)`],
    ['version: 1\nrules: []', `${AT}, key firm: missing key firm (the owner firm id)`],
    ['version: 1\nfirm: Structura\nrules: []', `${AT}, key firm: expected a firm id (lower-case letters, digits and -), got a string "Structura"`],
    ['version: 1\nfirm: structura', `${AT}, key rules: missing key rules (write rules: [] to deny everything)`],
    ['version: 1\nfirm: structura\nrules: {}', `${AT}, key rules: expected a list of rules, got an object`],
    ['version: 1\nfirm: structura\nowner: x\nrules: []', `${AT}, key owner: unknown key "owner" (expected one of version, firm, rules)`],
    ['[1, 2]', `${AT}: expected a policy document (an object with version, firm, rules), got a list`],
    ['version: 1\nfirm: structura\nfirm: other\nrules: []', `${AT}: invalid YAML: Map keys must be unique at line 3, column 1`],
    ['version: 1\nfirm: [structura\n', expect.stringMatching(new RegExp(`^${AT}: invalid YAML: `))],
  ])('top level: %j', (text, message) => {
    expect(issuesOf(text).map((i) => i.message)).toEqual([message]);
  });

  it('checks the owner against the firm loading the policy', () => {
    expect(issuesOf('version: 1\nfirm: precimach\nrules: []', { expectedFirm: 'structura' })[0]?.message).toBe(
      `${AT}, key firm: firm "precimach" does not match the firm loading this policy, "structura"`,
    );
  });

  it('parses JSON when the file ends in .json, rejecting duplicate keys and bad syntax', () => {
    const json = JSON.stringify({ version: 1, firm: 'structura', rules: [{ id: 'r', who: { relationship: ['self'] }, types: '*', fields: '*' }] });
    expect(parsePolicy(json, { file: 'p.json', model }).rules[0]?.types).toEqual(Object.keys(model.types)); // "*" is expanded
    expect(issuesOf('{"version": 1, "firm": "structura", "rules": [], "rules": []}', { file: 'p.json' })[0]?.message).toBe(
      'policy file p.json: invalid JSON: Map keys must be unique at line 1, column 50',
    );
    expect(issuesOf('{"version": 1,', { file: 'p.json' })[0]?.message).toMatch(/^policy file p\.json: invalid JSON: /);
    // YAML-only syntax in a .json file is refused.
    expect(issuesOf('version: 1\nfirm: structura\nrules: []', { file: 'p.json' })[0]?.message).toMatch(/^policy file p\.json: invalid JSON: /);
  });
});

describe('validatePolicy: rules', () => {
  const R = (key: string, id = 'r', index = 0): string => `${AT}, rule "${id}" (rules[${index}]), key ${key}: `;

  it.each([
    // structure of a rule
    ['  - 3\n', [`${AT}, rule rules[0]: expected a rule (an object with id, who, types, fields), got a number 3`]],
    [rule(`${GOOD}\ncolour: red`), [`${R('colour')}unknown key "colour" (expected one of id, description, who, types, fields, exceptFields, rows)`]],
    [rule(`${GOOD}\ndescription: 5`), [`${R('description')}expected a string, got a number 5`]],
    [`  - ${GOOD.replace(/\n/g, '\n    ')}\n`, [`${AT}, rule rules[0], key id: missing key id (a unique rule id of lower-case letters, digits and -)`]],
    [rule(GOOD, 'Bad Id'), [`${AT}, rule rules[0], key id: invalid rule id "Bad Id" (use lower-case letters, digits and -)`]],
    [rule(GOOD, '4'), [`${AT}, rule rules[0], key id: invalid rule id (a number 4) (use lower-case letters, digits and -)`]],
    [rule(GOOD, 'a') + rule(GOOD, 'a'), [`${R('id', 'a', 1)}duplicate rule id "a" (first used by rules[0])`]],
    // who
    [rule('types: [Part]\nfields: "*"'), [`${R('who')}missing key who (say whom the rule grants, e.g. relationship: [customer])`]],
    [rule('who: {}\ntypes: [Part]\nfields: "*"'), [`${R('who')}empty who: give at least one of relationship, firms, roles`]],
    [rule('who: customer\ntypes: [Part]\nfields: "*"'), [`${R('who')}expected an object with relationship, firms or roles, got a string "customer"`]],
    [rule('who: { relationship: [customer], org: x }\ntypes: [Part]\nfields: "*"'), [`${R('who.org')}unknown key "org" (expected one of relationship, firms, roles)`]],
    [rule('who: { relationship: [custommer] }\ntypes: [Part]\nfields: "*"'), [`${R('who.relationship[0]')}unknown relationship "custommer" (expected one of self, customer, supplier, any-customer, any-supplier, member)`]],
    [rule('who: { relationship: customer }\ntypes: [Part]\nfields: "*"'), [`${R('who.relationship')}expected a list of relationships, got a string "customer"`]],
    [rule('who: { roles: [planner, 3] }\ntypes: [Part]\nfields: "*"'), [`${R('who.roles[1]')}expected roles to be non-empty strings, got a number 3`]],
    [rule('who: { firms: [Sky Frame] }\ntypes: [Part]\nfields: "*"'), [`${R('who.firms[0]')}invalid firm id "Sky Frame" (lower-case letters, digits and -)`]],
    [
      rule('who: { relationship: [], firms: [], roles: [] }\ntypes: [Part]\nfields: "*"'),
      ['relationship', 'firms', 'roles'].map((k) => `${R(`who.${k}`)}empty ${k} list: the rule can never match`),
    ],
    [
      rule('who: { relationship: [self], firms: [skyframe] }\ntypes: [Part]\nfields: "*"'),
      [`${R('who.relationship')}the rule can never match: relationship self is the owner "structura" itself, which firms (skyframe) does not list`],
    ],
    [
      rule('who: { relationship: [customer, supplier], firms: [structura] }\ntypes: [Part]\nfields: "*"'),
      [`${R('who.firms[0]')}the rule can never match: the owner "structura" is never its own customer or supplier (use relationship: [self])`],
    ],
    [
      rule('who: { relationship: [supplier], firms: [precimach, structura] }\ntypes: [Part]\nfields: "*"'),
      [`${R('who.firms[1]')}this entry can never match: the owner "structura" is never its own supplier (use relationship: [self])`],
    ],
    [
      rule('who: { relationship: [self], firms: [structura, skyframe] }\ntypes: [Part]\nfields: "*"'),
      [`${R('who.firms[1]')}this entry can never match: with relationship self only, the caller is the owner "structura", never "skyframe"`],
    ],
    // types
    [rule('who: { relationship: [customer] }\nfields: "*"'), [`${R('types')}missing key types (governed type names, or "*" for all)`]],
    [rule('who: { relationship: [customer] }\ntypes: []\nfields: "*"'), [`${R('types')}empty types list: the rule can never match`]],
    [rule('who: { relationship: [customer] }\ntypes: Part\nfields: "*"'), [`${R('types')}expected a list of governed type names, got a string "Part"`]],
    [
      rule('who: { relationship: [customer] }\ntypes: [Shipmnt]\nfields: "*"'),
      [`${R('types[0]')}unknown type "Shipmnt" (expected "*" or one of Part, Lot, PurchaseOrder, OrderConfirmation, Shipment, InventoryPosition, ProductionRun, QualityInspection, SensorAnomaly, SensorReading)`],
    ],
    [rule('who: { relationship: [customer] }\ntypes: [Part, "*"]\nfields: "*"'), [`${R('types[1]')}"*" is not a type name; write types: "*" (not in a list) for every governed type`]],
    // fields and exceptFields
    [rule('who: { relationship: [customer] }\ntypes: [Part]'), [`${R('fields')}missing key fields (field names, or "*" for all)`]],
    [rule('who: { relationship: [customer] }\ntypes: [Part]\nfields: []'), [`${R('fields')}empty fields list: the rule grants nothing`]],
    [rule('who: { relationship: [customer] }\ntypes: [Part]\nfields: [nme]'), [`${R('fields[0]')}unknown field "nme" for type Part`]],
    [
      rule('who: { relationship: [customer] }\ntypes: [Part, Lot]\nfields: [partId, unitCost]'),
      [`${R('fields[1]')}unknown field "unitCost" for type Lot (fields must exist on every listed type)`],
    ],
    // a connection is governed as its list: the policy names the list
    [
      rule('who: { relationship: [customer] }\ntypes: [Part]\nfields: [name, lotsConnection]'),
      [`${R('fields[1]')}unknown field "lotsConnection" for type Part; lotsConnection pages the list lots and is governed as it: write "lots", which covers both`],
    ],
    [
      rule(`${GOOD}\nexceptFields: [lotsConnection]`),
      [`${R('exceptFields[0]')}unknown field "lotsConnection" (not a field of Part); lotsConnection pages the list lots and is governed as it: write "lots", which covers both`],
    ],
    [rule(`${GOOD}\nexceptFields: [nope]`), [`${R('exceptFields[0]')}unknown field "nope" (not a field of Part)`]],
    [rule(`${GOOD}\nexceptFields: [partId]`), [`${R('exceptFields[0]')}"partId" is a key field of Part: key fields come with every visible row and cannot be excepted`]],
    [
      rule('who: { relationship: [customer] }\ntypes: [Part]\nfields: [name]\nexceptFields: [uom]'),
      [`${R('exceptFields[0]')}"uom" is not granted by fields, so excepting it has no effect`],
    ],
    [
      rule('who: { relationship: [customer] }\ntypes: [Part]\nfields: [unitCost]\nexceptFields: [unitCost]'),
      [`${R('exceptFields')}the rule can never match: it grants no field of Part once exceptFields are removed`],
    ],
  ])('rule %#', (rules, messages) => {
    expect(ruleIssues(rules)).toEqual(messages);
  });

  it('checks who.firms against the cluster members when known', () => {
    const text = `version: 1\nfirm: structura\nrules:\n${rule('who: { firms: [skyframe, skyfrane] }\ntypes: [Part]\nfields: "*"')}`;
    expect(issuesOf(text, { knownFirms: ['skyframe', 'structura'] }).map((i) => i.message)).toEqual([
      `${R('who.firms[1]')}unknown firm "skyfrane" (members: skyframe, structura)`,
    ]);
  });

  it('an issue carries the rule id and the path', () => {
    const [issue] = issuesOf(`version: 1\nfirm: structura\nrules:\n${rule(GOOD, 'a')}${rule('who: { relationship: [x] }\ntypes: [Part]\nfields: "*"', 'b')}`);
    expect(issue).toMatchObject({ file: FILE, ruleId: 'b', path: 'rules[1].who.relationship[0]', reason: 'unknown relationship "x" (expected one of self, customer, supplier, any-customer, any-supplier, member)' });
  });
});
