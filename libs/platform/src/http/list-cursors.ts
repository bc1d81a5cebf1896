import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { type CursorBinding, type CursorKind, openCursor, sealCursor } from './cursor-seal';
import { type CursorValues, keysetPage, type Page } from './keyset-pagination';

/** A keyset-paginated list: its name (what its cursors are sealed for) and its sort columns with their kinds. */
export interface KeysetList {
  name: string;
  columns: readonly (readonly [column: string, kind: CursorKind])[];
}

/**
 * Every `{ items, nextCursor }` list reads and gives its cursors here: sealed with a key derived from
 * JWT_SECRET, bound to the list, its filters and (on partner lists) the caller's institution.
 */
@Injectable()
export class ListCursors {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = config.cursorSigningKey;
  }

  /** The sort values the page starts after, null for the first page; a cursor this list did not give is a 400. */
  after(list: KeysetList, cursor: string | undefined, binding: CursorBinding = {}): CursorValues | null {
    return openCursor(
      this.key,
      list.name,
      binding,
      cursor,
      list.columns.map(([, kind]) => kind),
    );
  }

  /** The next cursor of a list whose page is not built from rows (a list read from Redis): the last item's sort values. */
  next(list: KeysetList, values: CursorValues, binding: CursorBinding = {}): string {
    return sealCursor(this.key, list.name, binding, values);
  }

  /** One page of rows fetched with `LIMIT limit + 1`, its next cursor sealed for the same list and binding. */
  page<Row extends Record<string, unknown>, Item>(list: KeysetList, rows: Row[], limit: number, toItem: (row: Row) => Item, binding: CursorBinding = {}): Page<Item> {
    const columns = list.columns.map(([column]) => column as keyof Row & string);
    return keysetPage(rows, limit, columns, toItem, (values) => sealCursor(this.key, list.name, binding, values));
  }
}
