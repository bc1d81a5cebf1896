import { keysetPage } from './keyset-pagination';

/** The cursor as plain JSON, so that the values it seals can be read back here. */
const seal = (values: (string | number)[]) => JSON.stringify(values);
const read = (cursor: string | null) => JSON.parse(cursor!);

describe('keysetPage', () => {
  const rows = [
    { id: 'a1', name: 'Alpha', created_at: new Date('2030-01-01T10:00:00.000Z') },
    { id: 'b2', name: 'Beta', created_at: new Date('2030-01-02T11:30:00.000Z') },
    { id: 'c3', name: 'Gamma', created_at: new Date('2030-01-03T12:45:00.000Z') },
  ];
  const toItem = (row: (typeof rows)[number]) => ({ id: row.id, label: row.name.toUpperCase() });

  it('keeps `limit` items and gives a cursor of the last one kept when the extra row says more follow', () => {
    const page = keysetPage(rows, 2, ['name', 'id'], toItem, seal);
    expect(page.items).toEqual([
      { id: 'a1', label: 'ALPHA' },
      { id: 'b2', label: 'BETA' },
    ]);
    expect(read(page.nextCursor)).toEqual(['Beta', 'b2']);
  });

  it('writes a date column as its ISO text', () => {
    const page = keysetPage(rows, 1, ['created_at', 'id'], toItem, seal);
    expect(read(page.nextCursor)).toEqual(['2030-01-01T10:00:00.000Z', 'a1']);
  });

  it('gives no cursor on the last page, full or not, nor on an empty one', () => {
    expect(keysetPage(rows, 3, ['name', 'id'], toItem, seal)).toEqual({
      items: [
        { id: 'a1', label: 'ALPHA' },
        { id: 'b2', label: 'BETA' },
        { id: 'c3', label: 'GAMMA' },
      ],
      nextCursor: null,
    });
    expect(keysetPage(rows, 10, ['name', 'id'], toItem, seal).nextCursor).toBeNull();
    expect(keysetPage([], 5, ['name', 'id'], toItem, seal)).toEqual({ items: [], nextCursor: null });
  });

  it('keeps numbers as numbers in the cursor', () => {
    const ranked = [
      { rank: 1, id: 'x' },
      { rank: 2, id: 'y' },
    ];
    expect(read(keysetPage(ranked, 1, ['rank', 'id'], (r) => r.id, seal).nextCursor)).toEqual([1, 'x']);
  });

  it('refuses a cursor column holding anything else', () => {
    const odd = [{ id: 'x', tags: ['a'] }, { id: 'y', tags: ['b'] }];
    expect(() => keysetPage(odd, 1, ['tags', 'id'], (r) => r.id, seal)).toThrow('The cursor column tags holds neither text, a number nor a date');
  });
});
