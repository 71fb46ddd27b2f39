import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relationshipsOf } from '../../cluster/relationship.js';
import { ConfigError } from '../../config/configError.js';
import { demoPolicyFile } from '../../demo/demoCluster.js';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
import type { Caller } from '../../identity/caller.js';
import { effectivePolicy } from '../../policies/effectivePolicy.js';
import { explainAccess, type Explanation } from '../../policies/explainAccess.js';
import { grantsReciprocally } from '../../policies/grantsReciprocally.js';
import { loadClusterTerms } from '../../policies/loadClusterTerms.js';
import { loadPolicyFile } from '../../policies/loadPolicyFile.js';
import type { ClusterTerms } from '../../policies/policyFile.js';
import { firmDataModel, type DataModel } from '../../schema/model.js';
import { parseCommandLine } from '../parseCommandLine.js';

/** The demo's cluster terms: the default purpose vocabulary, baseline and prohibitions. */
export const DEMO_TERMS_FILE = fileURLToPath(new URL('../../demo/clusterTerms.yaml', import.meta.url));

const USAGE = 'usage: dataspace policy check <file> [--terms <file>] | dataspace policy explain --firm <owner> --as <caller> [--role r]... [--purpose p] [--policy <file>] [--terms <file>] [--at <instant>] <Type>';

/** Where the command writes its report (tests capture it). */
export type Write = (text: string) => void;

function terms(path: string | undefined, model: DataModel, now: Date): ClusterTerms {
  return loadClusterTerms(path ?? DEMO_TERMS_FILE, { model, now });
}

function check(argv: string[], write: Write, model: DataModel): void {
  const { values, positionals } = parseCommandLine(argv, { terms: { type: 'string' } });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new ConfigError('command line', 'file', `expected exactly one policy file\n${USAGE}`);
  const now = new Date();
  const t = terms(values.terms, model, now);
  const policy = loadPolicyFile(file, { model, now, purposes: t.purposes.map((p) => p.id) });
  write(`ok: ${policy.rules.length} rules (${file}: firm ${policy.firm}, version ${policy.version}; purposes from ${t.file})\n`);
}

function pad(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

/**
 * The explanation as the command prints it: a field table, then rows, aggregates and rules.
 * @example process.stdout.write(formatExplanation(explainAccess(policy, model, request)));
 */
export function formatExplanation(e: Explanation): string {
  const head = `firm ${e.owner}, type ${e.type}, asked by ${e.callerFirm} (roles ${e.roles.join(', ') || 'none'}; purpose ${e.purpose ?? 'none'})`;
  const table = pad([
    ['FIELD', 'ACCESS', 'MODE', 'RULES', 'REASON'],
    ...e.fields.map((f) => [f.field, f.allowed ? 'allowed' : 'denied', f.mode ?? '-', f.rules.join(', ') || '-', f.reason ?? '']),
  ]);
  const rows = e.rows === null ? 'every row' : e.rows === 'none' ? 'no row' : e.rows;
  const skipped = e.skippedRules.map((s) => `  - ${s.ruleId}: ${s.reason}`);
  return [
    head,
    `relationships: ${e.relationships.join(', ') || 'none'}`,
    '',
    table,
    '',
    `rows: ${rows}`,
    `aggregates: ${e.aggregate ?? 'none'}`,
    `matched rules: ${e.matchedRules.join(', ') || 'none'}`,
    `skipped rules:${skipped.length > 0 ? `\n${skipped.join('\n')}` : ' none'}`,
    '',
  ].join('\n');
}

function explain(argv: string[], write: Write, model: DataModel): void {
  const { values, positionals } = parseCommandLine(argv, {
    firm: { type: 'string' },
    as: { type: 'string' },
    role: { type: 'string', multiple: true },
    purpose: { type: 'string' },
    policy: { type: 'string' },
    terms: { type: 'string' },
    at: { type: 'string' },
  });
  const owner = values.firm;
  const callerFirm = values.as;
  if (!owner) throw new ConfigError('command line', '--firm', 'required: the owner firm whose policy decides');
  if (!callerFirm) throw new ConfigError('command line', '--as', 'required: the calling firm');
  const [typeName, ...extra] = positionals;
  if (!typeName || extra.length > 0) throw new ConfigError('command line', 'type', `expected exactly one governed type\n${USAGE}`);
  if (!model.types[typeName]) throw new ConfigError('command line', 'type', `unknown type "${typeName}" (expected one of ${Object.keys(model.types).join(', ')})`);
  const now = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(now.getTime())) throw new ConfigError('command line', '--at', `expected an ISO instant, got "${values.at ?? ''}"`);
  const members = DEMO_TOPOLOGY.members.map((m) => m.id);
  if (!values.policy && !members.includes(owner)) {
    throw new ConfigError('command line', '--firm', `unknown demo firm "${owner}" (known: ${members.join(', ')}); give --policy <file> for another firm`);
  }
  // Files are validated as a firm would load them today; `--at` only moves the decision.
  const loadedAt = new Date();
  const t = terms(values.terms, model, loadedAt);
  const purposes = t.purposes.map((p) => p.id);
  const own = loadPolicyFile(values.policy ?? demoPolicyFile(owner), { model, now: loadedAt, purposes, expectedFirm: owner });
  const policy = effectivePolicy(own, t, []);
  const rels = DEMO_TOPOLOGY.relationships;
  const callerFile = demoPolicyFile(callerFirm);
  const callerPolicy =
    members.includes(callerFirm) && existsSync(callerFile)
      ? effectivePolicy(loadPolicyFile(callerFile, { model, now: loadedAt, purposes, expectedFirm: callerFirm }), t, [])
      : undefined;
  const caller: Caller = { firmId: callerFirm, subject: `explain@${callerFirm}`, roles: values.role ?? [], issuer: 'dataspace policy explain' };
  if (values.purpose !== undefined) caller.purpose = values.purpose;
  const explanation = explainAccess(policy, model, {
    caller,
    relationships: relationshipsOf(rels, callerFirm, owner),
    type: typeName,
    now,
    ...(callerPolicy
      ? { reciprocity: (types: readonly string[]) => grantsReciprocally(callerPolicy, model, owner, relationshipsOf(rels, owner, callerFirm), types, now) }
      : {}),
  });
  write(formatExplanation(explanation));
}

/**
 * `dataspace policy check <file> [--terms <file>]`: validates a policy file as a firm would
 * at start (purposes against the terms' vocabulary, the demo's by default); prints
 * `ok: <n> rules ...`, or fails with the PolicyError (exit 2).
 * `dataspace policy explain --firm <owner> --as <caller> [--role r]... [--purpose p]
 * [--policy <file>] [--terms <file>] [--at <instant>] <Type>`: which rule permits or denies
 * each field and the rows (demo policy, terms and topology by default).
 * @example await policyCommand(['explain', '--firm', 'structura', '--as', 'skyframe', '--role', 'planner', 'Part']);
 */
export async function policyCommand(argv: string[], write: Write = (text) => process.stdout.write(text)): Promise<void> {
  const [sub, ...rest] = argv;
  const model = firmDataModel();
  if (sub === 'check') check(rest, write, model);
  else if (sub === 'explain') explain(rest, write, model);
  else throw new ConfigError('command line', 'policy', `${sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`}\n${USAGE}`);
  return Promise.resolve();
}
