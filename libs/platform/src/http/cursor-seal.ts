import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CursorValues } from './keyset-pagination';
import { ValidationProblem } from './problem';

/** What a sort column holds, so that a cursor's value can be checked before it reaches a query. */
export type CursorKind = 'text' | 'date' | 'timestamp' | 'uuid' | 'integer';

/** The filters a page was read with (and the caller's institution on partner lists): a cursor is bound to them. */
export type CursorBinding = Record<string, string | number | null | undefined>;

const REFUSED = [{ field: 'cursor', message: 'is not a cursor that this list gave for these filters and this account' }];
const SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;

/**
 * A cursor is `<values>.<mac>`: the sort values of the last item (base64url JSON) and an HMAC-SHA256 of the
 * list's name, its binding and those values under a server key. A client can read it but not make one: a
 * cursor changed, made up, or taken from another list, other filters or another institution is refused.
 */
export function sealCursor(key: Buffer, list: string, binding: CursorBinding, values: CursorValues): string {
  const payload = Buffer.from(JSON.stringify(values)).toString('base64url');
  return `${payload}.${mac(key, list, binding, payload).toString('base64url')}`;
}

/** The values of a cursor sealed for this list and binding, null for none; anything else is a 400 naming `cursor`. */
export function openCursor(key: Buffer, list: string, binding: CursorBinding, cursor: string | undefined, kinds: readonly CursorKind[]): CursorValues | null {
  if (cursor === undefined || cursor === '') return null;
  if (!SHAPE.test(cursor)) throw new ValidationProblem(REFUSED);
  const [payload, signature] = cursor.split('.');
  const expected = mac(key, list, binding, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ValidationProblem(REFUSED);
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationProblem(REFUSED);
  }
  if (!Array.isArray(values) || values.length !== kinds.length || !values.every((value, i) => holds(kinds[i], value))) {
    throw new ValidationProblem(REFUSED);
  }
  return values as CursorValues;
}

function mac(key: Buffer, list: string, binding: CursorBinding, payload: string): Buffer {
  const bound = Object.keys(binding)
    .sort()
    .map((name) => [name, binding[name] ?? null]);
  return createHmac('sha256', key).update(JSON.stringify([list, bound])).update('\n').update(payload).digest();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a cursor value is one the column's queries can compare with (PostgreSQL would refuse it otherwise). */
function holds(kind: CursorKind, value: unknown): boolean {
  if (kind === 'integer') return Number.isSafeInteger(value);
  if (typeof value !== 'string') return false;
  switch (kind) {
    case 'uuid':
      return UUID.test(value);
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && isoText(`${value}T00:00:00.000Z`)?.slice(0, 10) === value;
    case 'timestamp':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && isoText(value) === value;
    case 'text':
      return value.length <= 1000 && !value.includes('\u0000');
  }
}

function isoText(text: string): string | undefined {
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
