/** Cursor pagination (API.md): `?limit=` 1..500, default 50; cursors are opaque to clients. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The values of one row's sort columns, as a cursor holds them. */
export type CursorValues = (string | number)[];

/**
 * One page of a keyset-paginated list. `rows` were fetched with `LIMIT limit + 1` in the list's order:
 * the extra row only says that a next page exists. The next cursor is `seal` of the last item's values of
 * the sort columns (a Date as its ISO text), to be compared with the row tuple in the next query.
 */
export function keysetPage<Row extends Record<string, unknown>, Item>(
  rows: Row[],
  limit: number,
  cursorColumns: readonly (keyof Row & string)[],
  toItem: (row: Row) => Item,
  seal: (values: CursorValues) => string,
): Page<Item> {
  const kept = rows.slice(0, limit);
  const items = kept.map(toItem);
  if (rows.length <= limit || kept.length === 0) return { items, nextCursor: null };
  const last = kept[kept.length - 1];
  return { items, nextCursor: seal(cursorColumns.map((column) => cursorValue(last[column], column))) };
}

function cursorValue(value: unknown, column: string): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new Error(`The cursor column ${column} holds neither text, a number nor a date`);
}
