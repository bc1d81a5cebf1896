import { escapeHtml, MailTemplates } from '@passerelle/mail';
import { type AuthUser, directionOf, LANGUAGES, preferredLanguage } from '@passerelle/platform';

const templates = new MailTemplates();
const KIND = 'console';

/** Each language named in itself, for the switch on every page. */
const LANGUAGE_NAMES: Record<string, string> = { ar: 'العربية', en: 'English', es: 'Español', fr: 'Français', pt: 'Português', ru: 'Русский', zh: '中文' };

/**
 * The texts of a page in one language: templates/console/<language>.json, as the e-mails' texts are.
 * `language` is the one the reader asked for; `written` the one the page is in (English when the asked
 * one has no file), which is what the page's `lang` says.
 */
export class Texts {
  readonly written: string;

  constructor(readonly language: string) {
    this.written = templates.languages(KIND).includes(language) ? language : 'en';
  }

  /** A text, escaped for HTML, its `{{values}}` escaped and isolated. */
  t(name: string, values: Record<string, string> = {}): string {
    return Object.keys(values).length > 0 ? templates.html(KIND, this.written, name, values) : escapeHtml(templates.label(KIND, this.written, name));
  }

  /** A text for a value that may have none (a status the texts do not name): the value itself then. */
  maybe(name: string, fallback: string): string {
    try {
      return this.t(name);
    } catch {
      return escapeHtml(fallback);
    }
  }

  date(iso: string | null | undefined): string {
    if (!iso) return '';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return escapeHtml(iso);
    const withTime = iso.length > 10;
    return escapeHtml(
      new Intl.DateTimeFormat(this.written, { dateStyle: 'medium', ...(withTime ? { timeStyle: 'short', timeZone: 'UTC' } : { timeZone: 'UTC' }) }).format(date) + (withTime ? ' UTC' : ''),
    );
  }
}

/** The language of a request: `?lang=`, else the one chosen before in the session, else the browser's, else English. */
export function languageOf(query: unknown, chosen: string | null | undefined, acceptLanguage: string | undefined): string {
  if (typeof query === 'string' && (LANGUAGES as readonly string[]).includes(query)) return query;
  if (chosen && (LANGUAGES as readonly string[]).includes(chosen)) return chosen;
  return preferredLanguage(acceptLanguage, LANGUAGES) ?? 'en';
}

export interface PageFrame {
  texts: Texts;
  user: AuthUser | null;
  csrfToken: string | null;
  /** The page's own address without `lang`, for the language links. */
  path: string;
  /** Which menu entry is the current page. */
  section?: 'home' | 'proposals' | 'workshops';
}

/** The address of this page in another language. */
function withLanguage(path: string, language: string): string {
  const url = new URL(path, 'http://console.invalid');
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

/** A hidden field carrying the session's CSRF token: on every form that posts. */
export function csrfField(token: string | null): string {
  return token ? `<input type="hidden" name="csrf" value="${escapeHtml(token)}">` : '';
}

/**
 * A whole page: `<html lang dir>` in the language it is written in, a skip link, the menu of the role,
 * the language switch (plain links: no script), the sign-out form, then `body` (already HTML, every
 * value in it escaped by its maker). The stylesheet is the console's own file; nothing is inline, so
 * the app's Content-Security-Policy needs no exception.
 */
export function page(frame: PageFrame, title: string, body: string): string {
  const { texts, user } = frame;
  const language = texts.written;
  const menu: [string, string, PageFrame['section']][] = user
    ? user.role === 'partner'
      ? [['/console', texts.t('nav.home'), 'home'], ['/console/proposals', texts.t('nav.proposals'), 'proposals']]
      : [['/console', texts.t('nav.home'), 'home'], ['/console/proposals', texts.t('nav.proposals'), 'proposals'], ['/console/workshops', texts.t('nav.workshops'), 'workshops']]
    : [];
  const nav = menu.length
    ? `<nav aria-label="${texts.t('nav')}"><ul>${menu
        .map(([href, label, section]) => `<li><a href="${href}"${section === frame.section ? ' aria-current="page"' : ''}>${label}</a></li>`)
        .join('')}</ul></nav>`
    : '';
  const languages = `<nav class="languages" aria-label="${texts.t('language')}"><ul>${LANGUAGES.map(
    (code) =>
      `<li><a href="${escapeHtml(withLanguage(frame.path, code))}" lang="${code}" hreflang="${code}"${code === texts.language ? ' aria-current="true"' : ''}>${escapeHtml(LANGUAGE_NAMES[code])}</a></li>`,
  ).join('')}</ul></nav>`;
  const account = user
    ? `<div class="account"><span>${texts.t('signedInAs', { email: user.email })}</span>
<form method="post" action="/console/sign-out">${csrfField(frame.csrfToken)}<button type="submit" class="link">${texts.t('signOut')}</button></form></div>`
    : '';
  return `<!doctype html>
<html lang="${escapeHtml(language)}" dir="${directionOf(language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${texts.t('product')}</title>
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body><a class="skip" href="#main">${texts.t('skip')}</a>
<header><p class="product"><a href="/console">${texts.t('product')}</a></p>${nav}${account}${languages}</header>
<main id="main"><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

/** A table with a header row; `rows` already HTML. An empty list says so. */
export function table(texts: Texts, headers: string[], rows: string[][]): string {
  if (rows.length === 0) return `<p class="empty">${texts.t('none')}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export { escapeHtml };
