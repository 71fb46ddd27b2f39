/** A cell of a printed table. */
export type Cell = string | number | boolean;

/**
 * Prints an aligned text table: numbers right-aligned, text left-aligned.
 * @example printTable(['query', 'ms'], [['genealogy', 12.3]]);
 */
export function printTable(headers: readonly string[], rows: readonly (readonly Cell[])[], title?: string): void {
  const text = (c: Cell): string => (typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c.toFixed(2)) : String(c));
  const cells = rows.map((r) => r.map(text));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[], numeric: readonly boolean[]): string =>
    values.map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ');
  if (title) console.log(`\n${title}`);
  console.log(line(headers, headers.map(() => false)));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r, i) => console.log(line(cells[i] ?? [], r.map((c) => typeof c === 'number'))));
}
