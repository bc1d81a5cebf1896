import { Body, Controller, Get, Header, Headers, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { ActivationTokens, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordWeaknessKind } from '@passerelle/accounts';
import { escapeHtml, MailTemplates } from '@passerelle/mail';
import { InstitutionQueries } from '@passerelle/partners';
import { ApiAnswers, ApiPage, cspNonce, directionOf, ProblemException, preferredLanguage, Public } from '@passerelle/platform';
import { ActivateDto } from './partners.dto';
import { ActivatedView } from './partners.views';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const KIND = 'activation-page';

/** The page's words in one language: templates/activation-page/<language>.json, numbers as that language writes them. */
interface PageWords {
  language: string;
  say(name: string, values?: Record<string, string>): string;
  /** A sentence as HTML, its values isolated from the text's direction. */
  html(name: string, values?: Record<string, string>): string;
}

/**
 * A partner contact chooses a password from the e-mailed link: a page, and its JSON twin. The token works once.
 * The page speaks the contact's language (the one chosen for them at registration), else the browser's
 * (Accept-Language) when the link says nothing of its person, else English.
 */
@ApiTags('accounts')
@Public()
@Controller()
export class ActivationController {
  private readonly templates = new MailTemplates();

  constructor(
    private readonly tokens: ActivationTokens,
    private readonly institutions: InstitutionQueries,
  ) {}

  @ApiAnswers('Activate an account: choose its password with the e-mailed token', 200, ActivatedView, [400, 404, 410], { description: 'The token works once.' })
  @Post('api/auth/activate')
  @HttpCode(HttpStatus.OK)
  async activate(@Body() body: ActivateDto) {
    const { userId, email } = await this.tokens.activate(body.token, body.password);
    return { id: userId, email, activated: true };
  }

  @ApiPage('The page an activation e-mail links to: choose a password', {
    200: "the page with its form, in the contact's language",
    404: 'a page saying the link is not valid, was used or has expired',
  })
  @Get('activate/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async page(@Param('token') token: string, @Headers('accept-language') acceptLanguage: string | undefined, @Res() response: Response) {
    const pending = TOKEN.test(token) ? await this.tokens.pending(token) : null;
    const words = await this.words(pending?.userId, acceptLanguage);
    if (!pending) {
      send(response, 404, words, words.say('invalidTitle'), `<p>${escapeHtml(words.say('invalid'))}</p>`);
      return;
    }
    const welcome = words.html('welcome', { fullName: pending.fullName, email: pending.email, min: words.number(PASSWORD_MIN_LENGTH) });
    send(response, 200, words, words.say('title'), `<p>${welcome}</p>${passwordForm(token, words)}`);
  }

  @ApiPage('Choose the password from the page (its form); the token works once', {
    200: 'a page saying the account is active',
    400: 'the form again, saying why the password was refused (too short, common, one character repeated, only spaces)',
    404: 'a page saying the link is not valid',
    410: 'a page saying the link was already used or has expired',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: { type: 'object', required: ['password'], properties: { password: { type: 'string', minLength: 12, maxLength: 1024 } } } })
  @Post('activate/:token')
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async pageActivate(@Param('token') token: string, @Body() body: Record<string, unknown>, @Headers('accept-language') acceptLanguage: string | undefined, @Res() response: Response) {
    const password = typeof body?.password === 'string' ? body.password : '';
    // The language is found before the token is spent: afterwards it no longer names its person.
    const pending = TOKEN.test(token) ? await this.tokens.pending(token) : null;
    const words = await this.words(pending?.userId, acceptLanguage);
    const weakness = TOKEN.test(token) ? passwordWeaknessKind(password) : 'link';
    if (weakness) {
      // The form again, with why the password was refused, so that the person can choose another at once.
      const form = TOKEN.test(token) ? passwordForm(token, words) : '';
      const why = words.say(`weakness.${weakness}`, { min: words.number(PASSWORD_MIN_LENGTH), max: words.number(PASSWORD_MAX_LENGTH) });
      send(response, 400, words, words.say('title'), `<p class="error" id="error" role="alert">${escapeHtml(why)}</p>${form}`);
      return;
    }
    try {
      await this.tokens.activate(token, password);
      send(response, 200, words, words.say('doneTitle'), `<p>${escapeHtml(words.say('done'))}</p>`);
    } catch (err) {
      if (!(err instanceof ProblemException)) throw err;
      send(response, err.getStatus(), words, words.say('invalidTitle'), `<p>${escapeHtml(words.say(refusal(err)))}</p>`);
    }
  }

  /** The words of the page for the account `userId` (a partner contact's language), else the browser's, else English. */
  private async words(userId: string | undefined, acceptLanguage: string | undefined): Promise<PageWords & { number(value: number): string }> {
    const chosen = userId ? await this.institutions.contactLanguage(userId) : null;
    const available = this.templates.languages(KIND);
    const language = chosen && available.includes(chosen) ? chosen : (preferredLanguage(acceptLanguage, available) ?? 'en');
    const numbers = new Intl.NumberFormat(language, { useGrouping: false });
    return {
      language,
      say: (name, values = {}) => this.templates.text(KIND, language, name, values),
      html: (name, values = {}) => this.templates.html(KIND, language, name, values),
      number: (value) => numbers.format(value),
    };
  }
}

/** Which of the page's sentences says why the token was refused (ActivationTokens.activate's problems). */
function refusal(err: ProblemException): string {
  if (err.getStatus() !== HttpStatus.GONE) return 'unknown';
  return /closed/.test(err.detail) ? 'closed' : /used/.test(err.detail) ? 'used' : 'expired';
}

function passwordForm(token: string, words: PageWords): string {
  return `<form method="post" action="/activate/${escapeHtml(token)}">
           <label>${escapeHtml(words.say('password'))} <input type="password" name="password" id="password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required autocomplete="new-password" dir="ltr"></label>
           <button type="submit" id="activate">${escapeHtml(words.say('submit'))}</button>
         </form>`;
}

/** The page, its Content-Language the language it is written in. */
function send(response: Response, status: number, words: PageWords, title: string, body: string): void {
  response.status(status).header('Content-Language', words.language).send(layout(cspNonce(response), words.language, title, body));
}

/**
 * The page around `body`, in `language` and its direction; its style uses logical properties (inline
 * start and end), so an Arabic page lays out right to left with the same rules. The style carries the
 * answer's nonce, which the Content-Security-Policy allows.
 */
function layout(nonce: string, language: string, title: string, body: string): string {
  return `<!doctype html><html lang="${escapeHtml(language)}" dir="${directionOf(language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body{font-family:system-ui,Arial,"Noto Sans Arabic","Noto Sans SC",sans-serif;max-inline-size:36rem;margin-block:3rem;margin-inline:auto;padding-inline:1rem;line-height:1.5;color:#1a1a1a;text-align:start}
h1{color:#0b3d6e;font-size:1.5rem}.error{color:#a4000f;font-weight:600}input{display:block;margin-block:.5rem 1rem;padding:.5rem;font-size:1rem;inline-size:100%;box-sizing:border-box;text-align:start}
button{font-size:1rem;padding-block:.6rem;padding-inline:1.4rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;cursor:pointer}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}
