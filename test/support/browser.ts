import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's `chromium` package; .ci/run installs it on a machine without it. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** The computed value of a CSS property of the first element a selector finds. */
export async function computedStyle(page: Page, selector: string, property: string): Promise<string> {
  return (await page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`)) as string;
}

/** Headless chromium with a profile of its own. Fails, not skips, without the browser: a test needing it can say nothing. */
export async function launchChromium(locale = 'en-GB'): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y --no-install-recommends chromium); .ci/run does this`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'passerelle-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
    locale,
    viewport: { width: 1024, height: 768 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * What the page's Content-Security-Policy refused, as the browser reports it (each `securitypolicyviolation`
 * event and each console error naming the policy), from the page's first load on.
 */
export async function cspViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  // Runs in the page, which has the DOM this project's type checking leaves out: as the browser's own source.
  await page.addInitScript({
    content: `window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));`,
  });
  return async () => [...console, ...((await page.evaluate('window.__cspViolations || []')) as string[])];
}

/**
 * Headless chromium whose contexts are separate people (cookies of their own): what a test of two or
 * more signed-in people at once needs. Fails, not skips, without the browser.
 */
export async function launchChromiumForContexts(): Promise<import('playwright-core').Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}
