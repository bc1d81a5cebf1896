/**
 * The languages the product writes in (e-mails, pages, reports, workbooks): the one list that every
 * `language` a person chooses is checked against, and that every template kind has a file for.
 */
export const LANGUAGES = ['ar', 'en', 'es', 'fr', 'pt', 'ru', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Languages written right to left; of LANGUAGES, Arabic, the others in case a tag without texts is shown. */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur']);

/** The direction of a page or e-mail written in `language`: its `dir`. */
export function directionOf(language: string): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(language.toLowerCase().split(/[-_]/)[0]) ? 'rtl' : 'ltr';
}

/**
 * The reader's preferred language of `available` by an Accept-Language header ("ar-EG,ar;q=0.9,en;q=0.5"),
 * primary tags compared; null when none of theirs is available.
 */
export function preferredLanguage(header: string | undefined, available: readonly string[]): string | null {
  if (!header) return null;
  const wanted = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
      return { language: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((w) => w.q > 0 && available.includes(w.language))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return wanted[0]?.language ?? null;
}
