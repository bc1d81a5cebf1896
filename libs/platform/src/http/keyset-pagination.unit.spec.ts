import { decodeCursor, encodeCursor, keysetPage } from './keyset-pagination';
import { ValidationProblem } from './problem';

describe('keysetPage', () => {
  const rows = [
    { id: 'a1', name: 'Alpha', created_at: new Date('2030-01-01T10:00:00.000Z') },
    { id: 'b2', name: 'Beta', created_at: new Date('2030-01-02T11:30:00.000Z') },
    { id: 'c3', name: 'Gamma', created_at: new Date('2030-01-03T12:45:00.000Z') },
  ];
  const toItem = (row: (typeof rows)[number]) => ({ id: row.id, label: row.name.toUpperCase() });

  it('keeps `limit` items and gives a cursor of the last one kept when the extra row says more follow', () => {
    const page = keysetPage(rows, 2, ['name', 'id'], toItem);
    expect(page.items).toEqual([
      { id: 'a1', label: 'ALPHA' },
      { id: 'b2', label: 'BETA' },
    ]);
    expect(page.nextCursor).toBe(encodeCursor(['Beta', 'b2']));
    expect(decodeCursor(page.nextCursor!, 2)).toEqual(['Beta', 'b2']);
  });

  it('writes a date column as its ISO text', () => {
    const page = keysetPage(rows, 1, ['created_at', 'id'], toItem);
    expect(decodeCursor(page.nextCursor!, 2)).toEqual(['2030-01-01T10:00:00.000Z', 'a1']);
  });

  it('gives no cursor on the last page, full or not, nor on an empty one', () => {
    expect(keysetPage(rows, 3, ['name', 'id'], toItem)).toEqual({
      items: [
        { id: 'a1', label: 'ALPHA' },
        { id: 'b2', label: 'BETA' },
        { id: 'c3', label: 'GAMMA' },
      ],
      nextCursor: null,
    });
    expect(keysetPage(rows, 10, ['name', 'id'], toItem).nextCursor).toBeNull();
    expect(keysetPage([], 5, ['name', 'id'], toItem)).toEqual({ items: [], nextCursor: null });
  });

  it('keeps numbers as numbers in the cursor', () => {
    const ranked = [
      { rank: 1, id: 'x' },
      { rank: 2, id: 'y' },
    ];
    expect(decodeCursor(keysetPage(ranked, 1, ['rank', 'id'], (r) => r.id).nextCursor!, 2)).toEqual([1, 'x']);
  });

  it('refuses a cursor column holding anything else', () => {
    const odd = [{ id: 'x', tags: ['a'] }, { id: 'y', tags: ['b'] }];
    expect(() => keysetPage(odd, 1, ['tags', 'id'], (r) => r.id)).toThrow('The cursor column tags holds neither text, a number nor a date');
  });
});

describe('decodeCursor', () => {
  it('reads no cursor as the first page', () => {
    expect(decodeCursor(undefined, 2)).toBeNull();
    expect(decodeCursor('', 2)).toBeNull();
  });

  it('refuses a cursor that this list did not give, naming the field', () => {
    for (const cursor of ['not-base64-json', encodeCursor(['only-one']), Buffer.from('{"a":1}').toString('base64url')]) {
      let thrown: unknown;
      try {
        decodeCursor(cursor, 2);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ValidationProblem);
      expect((thrown as ValidationProblem).errors).toEqual([{ field: 'cursor', message: 'is not a cursor returned by this list' }]);
    }
  });
});
