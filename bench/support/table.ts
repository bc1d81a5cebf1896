/** Number formatting and tables for the benches' output: one style for all of them. */

/** A number with thousands separators and `digits` decimals; "-" when there is none. */
export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';

/**
 * Prints a table whose first column (labels) is aligned left and the others right, each as wide as
 * its widest cell or heading; then a blank line.
 */
export function printTable(headings: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headings.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  console.log(line(headings));
  for (const row of rows) console.log(line(row));
  console.log();
}

/**
 * For rows printed as they are measured: prints the headings now and returns a printer of rows, each
 * cell aligned right under its heading.
 */
export function tableAsMeasured(headings: readonly string[]): (cells: readonly string[]) => void {
  console.log(headings.join('  '));
  return (cells) => console.log(cells.map((cell, c) => cell.padStart(headings[c].length)).join('  '));
}
