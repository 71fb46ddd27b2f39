import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { policyCommand } from '../../../cli/commands/policyCommand.js';
import { ConfigError } from '../../../config/configError.js';
import { PolicyError } from '../../../policies/PolicyError.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const demo = (firm: string): string => join(ROOT, 'demo', 'policies', `${firm}.yaml`);
const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));

async function run(argv: string[]): Promise<string> {
  let out = '';
  await policyCommand(argv, (text) => {
    out += text;
  });
  return out;
}

describe('dataspace policy check', () => {
  it('prints ok and the number of rules for a valid file', async () => {
    expect(await run(['check', demo('avionix')])).toMatch(/^ok: 17 rules \(.*avionix\.yaml: firm avionix, version 2; purposes from .*clusterTerms\.yaml\)\n$/);
    expect(await run(['check', demo('skyframe')])).toMatch(/^ok: 3 rules .*version 1/);
  });

  it('fails with the PolicyError (file, rule, key) for an invalid file, e.g. a purpose not in the cluster vocabulary', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(demo('structura'), 'utf8').replace('purposes: [quality-investigation, traceability]', 'purposes: [quality-investigaton]'));
    await expect(run(['check', bad])).rejects.toThrow(PolicyError);
    await expect(run(['check', bad])).rejects.toThrow(
      `policy file ${bad}, rule "customer-planners-see-inspections" (rules[7]), key purposes[0]: unknown purpose "quality-investigaton" (cluster purposes: planning, logistics, quality-investigation, traceability, benchmarking, sustainability-reporting)`,
    );
  });

  it('uses another terms file when told', async () => {
    const terms = join(dir, 'terms.yaml');
    writeFileSync(terms, 'version: 1\npurposes: [{ id: traceability, description: t }]\nrules: []\n');
    await expect(run(['check', demo('structura'), '--terms', terms])).rejects.toThrow(/unknown purpose "quality-investigation" \(cluster purposes: traceability\)/);
  });

  it('exits 2 with the message on stderr when run as a command', () => {
    const bad = join(dir, 'bad-relationship.yaml');
    writeFileSync(bad, readFileSync(demo('structura'), 'utf8').replace('relationship: [customer] }\n    types: [Lot]', 'relationship: [custommer] }\n    types: [Lot]'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'dataspace.mjs'), 'policy', 'check', bad], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error [POLICY_INVALID]: policy file ${bad}, rule "customers-trace-lots" (rules[1]), key who.relationship[0]: unknown relationship "custommer"`);
    expect(r.stdout).toBe('');
  });
});

describe('dataspace policy explain', () => {
  it('prints each field with the rule that permits or denies it, then rows and rules', async () => {
    const out = await run(['explain', '--firm', 'structura', '--as', 'skyframe', '--role', 'planner', 'Part', '--at', '2026-11-27T10:00:00Z']);
    expect(out).toContain('firm structura, type Part, asked by skyframe (roles planner; purpose none)');
    expect(out).toContain('relationships: customer, any-customer, member');
    expect(out).toMatch(/unitCost\s+denied\s+-\s+cluster:no-unit-costs\s+firm structura may not show skyframe/);
    expect(out).toMatch(/partNumber\s+allowed\s+full\s+customers-see-part-master/);
    expect(out).toContain('rows: every row');
    expect(out).toContain('matched rules: cluster:no-unit-costs, customers-see-part-master');
  });

  it('shows skipped rules (purpose), coarsening, aggregates and reciprocity from the demo policies', async () => {
    const inspections = await run(['explain', '--firm', 'structura', '--as', 'skyframe', '--role', 'quality', 'QualityInspection']);
    expect(inspections).toContain('rows: no row');
    expect(inspections).toContain('  - customer-planners-see-inspections: needs a purpose (one of quality-investigation, traceability); the request declares none');
    const stock = await run(['explain', '--firm', 'precimach', '--as', 'cuprum', '--purpose', 'planning', 'InventoryPosition']);
    expect(stock).toMatch(/onHand\s+allowed\s+coarsened\s+members-plan-with-coarse-stock\s+rounded to the nearest 50/);
    const stats = await run(['explain', '--firm', 'alumill', '--as', 'avionix', '--role', 'analyst', '--purpose', 'benchmarking', 'QualityInspection']);
    expect(stats).toContain(
      "aggregates: count, avg, min, max of value by characteristic, unit, result, groups of at least 5 rows; min and max disclose one row's value per group (rule analysts-benchmark-inspections); every answer sums the cells of one release table for avionix (rows by characteristic, unit, result; at least 5 rows a cell)",
    );
    const runs = await run(['explain', '--firm', 'avionix', '--as', 'circuitra', '--role', 'planner', '--purpose', 'planning', 'ProductionRun']);
    expect(runs).toContain('matched rules: suppliers-see-our-production-give-to-get, no-line-assignments');
    const later = await run(['explain', '--firm', 'avionix', '--as', 'skyframe', '--role', 'planner', '--purpose', 'planning', '--at', '2030-01-01T00:00:00Z', 'ProductionRun']);
    expect(later).toContain('  - ramp-up-campaign-planned-runs: expired at 2030-01-01T00:00:00.000Z');
  });

  it.each([
    [['explain', '--as', 'skyframe', 'Part'], 'command line, option --firm: required: the owner firm whose policy decides'],
    [['explain', '--firm', 'structura', 'Part'], 'command line, option --as: required: the calling firm'],
    [['explain', '--firm', 'structura', '--as', 'skyframe', 'Parts'], 'command line, option type: unknown type "Parts" (expected one of Part, Lot, PurchaseOrder, OrderConfirmation, Shipment, InventoryPosition, ProductionRun, QualityInspection, SensorAnomaly, SensorReading)'],
    [['explain', '--firm', 'nobody', '--as', 'skyframe', 'Part'], 'command line, option --firm: unknown demo firm "nobody" (known: skyframe, structura, avionix, precimach, circuitra, alumill, cuprum); give --policy <file> for another firm'],
    [['explain', '--firm', 'structura', '--as', 'skyframe', '--at', 'soon', 'Part'], 'command line, option --at: expected an ISO instant, got "soon"'],
    [['frobnicate'], 'command line, option policy: unknown subcommand "frobnicate"'],
  ])('refuses bad options: %j', async (argv, message) => {
    const error = await run(argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split('\n')[0]).toBe(message);
  });
});
