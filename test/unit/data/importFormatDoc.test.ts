import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_SPECS } from '../../../subgraphs/firm/data/tableSpecs.js';

const ROOT = join(import.meta.dirname, '../../..');
const doc = readFileSync(join(ROOT, 'docs/import-format.md'), 'utf8');

/** The section of one file: from its heading to the next. */
function section(file: string): string {
  const start = doc.indexOf(`### ${file}.csv\n`);
  if (start < 0) return '';
  const next = doc.indexOf('\n### ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

describe('docs/import-format.md', () => {
  it.each(TABLE_SPECS.map((s) => [s.file, s] as const))('documents %s.csv as the database has it: every column, type, key, enum value and reference', (_file, spec) => {
    const text = section(spec.file);
    expect(text, `a section "### ${spec.file}.csv"`).not.toBe('');
    const rows = text.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => /^\| `(\w+)`/.exec(r)?.[1])).toEqual(spec.columns.map((c) => c.name));
    for (const [i, column] of spec.columns.entries()) {
      const cells = (rows[i] ?? '').split('|').map((c) => c.trim());
      expect(cells[2], `${spec.file}.${column.name} type`).toBe(column.type);
      expect(cells[3], `${spec.file}.${column.name} required`).toBe(column.required && !column.owner ? 'yes' : 'no');
      if (column.key) expect(cells[4]).toMatch(/^key/);
      for (const value of column.enumValues ?? []) expect(cells[4]).toContain(`\`${value}\``);
      const ref = spec.references.find((r) => r.column === column.name);
      if (ref) expect(cells[4]).toContain(`\`${ref.table}\` row`);
    }
    expect(text).toContain(`Key: ${spec.key.map((k) => `\`${k}\``).join(' + ')}.`);
  });

  it("shows each file's example as the sample folder's first lines", () => {
    for (const spec of TABLE_SPECS) {
      const sample = readFileSync(join(ROOT, 'demo/import-example', `${spec.file}.csv`), 'utf8').trim().split('\n');
      expect(section(spec.file)).toContain(['```csv', ...sample.slice(0, 3), '```'].join('\n'));
    }
  });
});
