import { openCursor, sealCursor, type CursorKind } from './cursor-seal';
import { ValidationProblem } from './problem';

const KEY = Buffer.alloc(32, 7);
const KINDS: CursorKind[] = ['timestamp', 'uuid'];
const ID = '0b5cad00-0000-4000-8000-000000000001';
const VALUES = ['2030-01-02T11:30:00.000Z', ID];
const mine = { institutionId: '11111111-1111-4111-8111-111111111111', status: 'submitted' };

function refusal(open: () => unknown): ValidationProblem {
  try {
    open();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationProblem);
    return err as ValidationProblem;
  }
  throw new Error('the cursor was taken');
}

function expectRefused(cursor: string, list = 'proposals', binding: Record<string, string | null> = mine, kinds = KINDS): void {
  const problem = refusal(() => openCursor(KEY, list, binding, cursor, kinds));
  expect(problem.getStatus()).toBe(400);
  expect(problem.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
}

describe('list cursors', () => {
  it('reads back the values it sealed for the same list and binding, and no cursor as the first page', () => {
    const cursor = sealCursor(KEY, 'proposals', mine, VALUES);
    expect(openCursor(KEY, 'proposals', { status: 'submitted', institutionId: mine.institutionId }, cursor, KINDS)).toEqual(VALUES);
    expect(openCursor(KEY, 'proposals', mine, undefined, KINDS)).toBeNull();
    expect(openCursor(KEY, 'proposals', mine, '', KINDS)).toBeNull();
  });

  it('refuses a made-up cursor, such as the bare values a client could write', () => {
    const bare = Buffer.from(JSON.stringify(['not-a-date', ID])).toString('base64');
    expectRefused(bare);
    expectRefused(`${Buffer.from(JSON.stringify(VALUES)).toString('base64url')}.${'A'.repeat(43)}`);
    expectRefused('not a cursor at all');
  });

  it('refuses a cursor whose values or signature were changed', () => {
    const cursor = sealCursor(KEY, 'proposals', mine, VALUES);
    const [payload, signature] = cursor.split('.');
    const moved = Buffer.from(JSON.stringify(['2029-01-01T00:00:00.000Z', ID])).toString('base64url');
    expectRefused(`${moved}.${signature}`);
    expectRefused(`${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`);
    expectRefused(`${payload}.${signature}A`);
  });

  it('refuses a cursor from another list, other filters, another institution or another key', () => {
    const cursor = sealCursor(KEY, 'proposals', mine, VALUES);
    expectRefused(cursor, 'partnerships');
    expectRefused(cursor, 'proposals', { ...mine, status: 'approved' });
    expectRefused(cursor, 'proposals', { ...mine, institutionId: '22222222-2222-4222-8222-222222222222' });
    expectRefused(cursor, 'proposals', { ...mine, institutionId: null });
    const otherKey = refusal(() => openCursor(Buffer.alloc(32, 8), 'proposals', mine, cursor, KINDS));
    expect(otherKey.errors?.[0].field).toBe('cursor');
  });

  it('refuses a signed cursor whose values the list could not compare (a server that signed nonsense stays safe)', () => {
    for (const [values, kinds] of [
      [['not-a-date', ID], KINDS],
      [['2030-02-31T00:00:00.000Z', ID], KINDS],
      [['2030-01-02T11:30:00.000Z', 'not-a-uuid'], KINDS],
      [['2030-02-30', ID], ['date', 'uuid']],
      [['a\u0000b', ID], ['text', 'uuid']],
      [[1.5, ID], ['integer', 'uuid']],
      [[VALUES[0]], KINDS],
    ] as [(string | number)[], CursorKind[]][]) {
      expectRefused(sealCursor(KEY, 'proposals', mine, values), 'proposals', mine, kinds);
    }
    expect(openCursor(KEY, 'l', {}, sealCursor(KEY, 'l', {}, ['2030-02-28', 'Ünïcode name', 3]), ['date', 'text', 'integer'])).toEqual(['2030-02-28', 'Ünïcode name', 3]);
  });
});
