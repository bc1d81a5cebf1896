import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { directionOf, LANGUAGES } from '@passerelle/platform';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  language: string;
}

interface TemplateFile {
  subject: string;
  text: string;
  html: string;
  /** Further labels, for pages. */
  [label: string]: string;
}

/** The folder holding `templates/`: the project's root, found from this file in the sources and in dist/. */
export function defaultTemplatesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates'))) return path.join(dir, 'templates');
  }
  throw new Error('No templates/ folder found beside package.json');
}

/**
 * Mail templates as data: `templates/<kind>/<language>.json` with `subject`, `text` and `html`, where
 * `{{name}}` is replaced by a value (HTML-escaped in `html`). A language without a file falls back to
 * English, so a new language is a new file, not code.
 */
export class MailTemplates {
  private readonly cache = new Map<string, TemplateFile | null>();

  constructor(private readonly dir: string = defaultTemplatesDir()) {}

  render(kind: string, language: string, values: Record<string, string>): RenderedMail {
    const chosen = this.load(kind, language) ? language : 'en';
    const template = this.load(kind, chosen);
    if (!template) throw new Error(`No template ${kind} in ${language} or en`);
    return {
      subject: fill(template.subject, values, (v) => v.replace(/[\r\n]+/g, ' ')),
      text: fill(template.text, values, (v) => v),
      html: withLanguage(fill(template.html, values, escapeHtml), chosen),
      language: chosen,
    };
  }

  /** A label of a template (a button's text, say), in the language or English. */
  label(kind: string, language: string, name: string): string {
    const template = this.load(kind, language) ?? this.load(kind, 'en');
    const value = template?.[name] ?? this.load(kind, 'en')?.[name];
    if (value === undefined) throw new Error(`No label ${name} in template ${kind}`);
    return value;
  }

  /** The languages (of LANGUAGES) that have a file of `kind`. */
  /** A label with its `{{values}}` filled in, not escaped (the caller escapes it where it goes). */
  text(kind: string, language: string, name: string, values: Record<string, string | number> = {}): string {
    const strings = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
    return fill(this.label(kind, language, name), strings, (v) => v);
  }

  /**
   * A label as HTML: its words escaped, each value escaped and isolated (<bdi>), so that a Latin name or
   * an address inside Arabic text keeps its own order.
   */
  html(kind: string, language: string, name: string, values: Record<string, string | number> = {}): string {
    const strings = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
    return fill(escapeHtml(this.label(kind, language, name)), strings, (v) => `<bdi>${escapeHtml(v)}</bdi>`);
  }

  languages(kind: string): string[] {
    return LANGUAGES.filter((language) => this.load(kind, language));
  }

  /** The language `kind` is written in for a reader of `language`: theirs if it has a file, else English. */
  languageOf(kind: string, language: string): string {
    return this.load(kind, language) ? language : 'en';
  }

  private load(kind: string, language: string): TemplateFile | null {
    if (!/^[a-z-]+$/.test(kind) || !/^[a-z]{2,3}$/.test(language)) return null;
    const key = `${kind}/${language}`;
    if (!this.cache.has(key)) {
      const file = path.join(this.dir, kind, `${language}.json`);
      this.cache.set(key, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TemplateFile) : null);
    }
    return this.cache.get(key)!;
  }
}

function fill(template: string, values: Record<string, string>, escape: (value: string) => string): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`Template value ${name} is missing`);
    return escape(values[name]);
  });
}

/**
 * A whole document's `<html>` says the language it is written in and its direction (dir="rtl" for
 * Arabic), whatever the template's file wrote there: a mail client lays it out and reads it aloud by these.
 */
function withLanguage(html: string, language: string): string {
  return html.replace(/^(\s*(?:<!doctype html>)?\s*)<html\b[^>]*>/i, (_, before: string) => `${before}<html lang="${language}" dir="${directionOf(language)}">`);
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
