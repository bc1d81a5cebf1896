import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LANGUAGES } from '@passerelle/platform';
import { defaultTemplatesDir } from './templates';

/**
 * Every kind of text (templates/<kind>/) is written in each of the product's languages, each file with
 * exactly the keys of the English one and, in each key, the same {{placeholders}}: a translation that
 * drops a sentence, adds one, or loses a value (a date, a link) fails here rather than in a reader's inbox.
 */
const dir = defaultTemplatesDir();
const kinds = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const read = (kind: string, file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(dir, kind, file), 'utf8')) as Record<string, unknown>;
const placeholders = (value: unknown): string[] =>
  typeof value === 'string' ? [...new Set([...value.matchAll(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]))].sort() : [];
const filesOf = (kind: string) => readdirSync(path.join(dir, kind)).filter((file) => file.endsWith('.json'));

describe('template files', () => {
  it('finds the kinds of text', () => {
    expect(kinds).toEqual(expect.arrayContaining(['invitation', 'rsvp-page', 'activation-page', 'report', 'exports']));
  });

  describe.each(kinds)('%s', (kind) => {
    it('is written in each of the seven languages, and in no other', () => {
      expect(filesOf(kind).map((file) => file.replace(/\.json$/, '')).sort()).toEqual([...LANGUAGES].sort());
    });

    it('has in every language exactly the keys of English, each with the same {{placeholders}}', () => {
      const english = read(kind, 'en.json');
      for (const file of filesOf(kind).filter((f) => f !== 'en.json')) {
        const other = read(kind, file);
        expect({ file, keys: Object.keys(other).sort() }).toEqual({ file, keys: Object.keys(english).sort() });
        for (const key of Object.keys(english)) {
          expect({ file, key, placeholders: placeholders(other[key]) }).toEqual({ file, key, placeholders: placeholders(english[key]) });
        }
      }
    });

    it('holds only texts, none empty where English has words', () => {
      for (const file of filesOf(kind)) {
        const english = read(kind, 'en.json');
        for (const [key, value] of Object.entries(read(kind, file))) {
          expect({ file, key, type: typeof value }).toEqual({ file, key, type: 'string' });
          if (english[key] !== '') expect({ file, key, empty: value === '' }).toEqual({ file, key, empty: false });
        }
      }
    });
  });
});
