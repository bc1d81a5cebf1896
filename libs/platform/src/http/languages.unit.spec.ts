import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { directionOf, preferredLanguage } from './languages';
import { IsSupportedLanguage } from './validators';

class Contact {
  @IsSupportedLanguage()
  language: unknown;
}

describe('languages', () => {
  it('accepts the seven languages and refuses any other, saying which are accepted', () => {
    for (const language of ['ar', 'en', 'es', 'fr', 'pt', 'ru', 'zh']) expect(validateSync(plainToInstance(Contact, { language }))).toEqual([]);
    for (const language of ['de', 'EN', 'en-GB', '', 12, null]) {
      const [error] = validateSync(plainToInstance(Contact, { language }));
      expect(error?.constraints).toEqual({ isSupportedLanguage: 'language must be one of ar, en, es, fr, pt, ru, zh' });
    }
  });

  it('writes Arabic right to left, the others left to right', () => {
    expect(['ar', 'ar-EG', 'en', 'zh', 'ru'].map(directionOf)).toEqual(['rtl', 'rtl', 'ltr', 'ltr', 'ltr']);
  });

  it("finds the reader's preferred language among those available, by Accept-Language's weights", () => {
    const available = ['ar', 'en', 'fr'];
    expect(preferredLanguage('de-DE,fr;q=0.5,ar;q=0.8', available)).toBe('ar');
    expect(preferredLanguage('fr-CA,en;q=0.9', available)).toBe('fr');
    expect(preferredLanguage('de,ar;q=0', available)).toBeNull();
    expect(preferredLanguage('*', available)).toBeNull();
    expect(preferredLanguage(undefined, available)).toBeNull();
  });
});
