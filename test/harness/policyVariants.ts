import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { demoPolicyFile } from '../../demo/demoCluster.js';

type RuleText = Record<string, unknown> & { id: string };

/**
 * Demo policies with changes for one test: rules removed or added per firm, written to a
 * temp folder. Returns a `policyFileFor` for startTestCluster.
 * @example policyVariants({ circuitra: { remove: ['customers-follow-production'] } })
 */
export function policyVariants(changes: Record<string, { remove?: string[]; add?: RuleText[] }>): (firmId: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'policies-'));
  return (firmId) => {
    const change = changes[firmId];
    if (!change) return demoPolicyFile(firmId);
    const doc = parse(readFileSync(demoPolicyFile(firmId), 'utf8')) as { version: number; rules: RuleText[] };
    doc.version = 2;
    doc.rules = doc.rules.filter((r) => !change.remove?.includes(r.id)).concat(change.add ?? []);
    const file = join(dir, `${firmId}.yaml`);
    writeFileSync(file, stringify(doc));
    return file;
  };
}
