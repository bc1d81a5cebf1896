import { ValidationProblem } from './problem';

/** Cursor pagination (API.md): `?limit=` 1..500, default 50; cursors are opaque to clients. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The cursor's values (as many as the list's sort columns), null for the first page; anything else is a 400. */
export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) return values;
  } catch {
    // answered below
  }
  throw new ValidationProblem([{ field: 'cursor', message: 'is not a cursor returned by this list' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One page of a keyset-paginated list. `rows` were fetched with `LIMIT limit + 1` in the list's order:
 * the extra row only says that a next page exists. The next cursor holds the last item's values of the
 * sort columns (a Date as its ISO text), to be compared with the row tuple in the next query.
 */
export function keysetPage<Row extends Record<string, unknown>, Item>(
  rows: Row[],
  limit: number,
  cursorColumns: readonly (keyof Row & string)[],
  toItem: (row: Row) => Item,
): Page<Item> {
  const kept = rows.slice(0, limit);
  const items = kept.map(toItem);
  if (rows.length <= limit || kept.length === 0) return { items, nextCursor: null };
  const last = kept[kept.length - 1];
  return { items, nextCursor: encodeCursor(cursorColumns.map((column) => cursorValue(last[column], column))) };
}

function cursorValue(value: unknown, column: string): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new Error(`The cursor column ${column} holds neither text, a number nor a date`);
}
