import { existsSync } from 'node:fs';
import path from 'node:path';
import { LANGUAGES } from '@passerelle/platform';
import { reportTexts, type ReportTexts } from '@passerelle/reporting';

/**
 * The languages a workbook is written in (headers, sheet names and statuses): the product's languages.
 * Another well-formed tag is answered in English, which the answer's Content-Language and file name say.
 */
export const EXPORT_LANGUAGES = LANGUAGES;

/** `templates/exports/` beside the project's package.json, found from this file in the sources and in dist/. */
export function exportTemplatesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates', 'exports'))) return path.join(dir, 'templates', 'exports');
  }
  throw new Error('No templates/exports/ folder found beside package.json');
}

/**
 * The words of a workbook in one language, as data: `templates/exports/<language>.json`, read the way a
 * report's labels are (libs/reporting report.texts.ts: a label missing from a language falls back to
 * English, country names from the runtime's Unicode data).
 */
export function exportTexts(language: string, dir: string = exportTemplatesDir()): ReportTexts {
  return reportTexts(language, dir);
}
