import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { ActivationTokens, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordWeakness } from '@passerelle/accounts';
import { escapeHtml } from '@passerelle/mail';
import { ApiAnswers, ApiPage, cspNonce, ProblemException, Public } from '@passerelle/platform';
import { ActivateDto } from './partners.dto';
import { ActivatedView } from './partners.views';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A partner contact chooses a password from the e-mailed link: a page, and its JSON twin. The token works once. */
@ApiTags('accounts')
@Public()
@Controller()
export class ActivationController {
  constructor(private readonly tokens: ActivationTokens) {}

  @ApiAnswers('Activate an account: choose its password with the e-mailed token', 200, ActivatedView, [400, 404, 410], { description: 'The token works once.' })
  @Post('api/auth/activate')
  @HttpCode(HttpStatus.OK)
  async activate(@Body() body: ActivateDto) {
    const { userId, email } = await this.tokens.activate(body.token, body.password);
    return { id: userId, email, activated: true };
  }

  @ApiPage('The page an activation e-mail links to: choose a password', {
    200: 'the page with its form',
    404: 'a page saying the link is not valid, was used or has expired',
  })
  @Get('activate/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async page(@Param('token') token: string, @Res() response: Response) {
    const pending = TOKEN.test(token) ? await this.tokens.pending(token) : null;
    if (!pending) {
      response.status(404).send(layout(cspNonce(response), 'Activation', '<p>This activation link is not valid, was already used, or has expired. Ask the programme team for a new one.</p>'));
      return;
    }
    response.send(
      layout(
        cspNonce(response),
        'Activate your account',
        `<p>Welcome, ${escapeHtml(pending.fullName)}. Choose a password for ${escapeHtml(pending.email)}: ${PASSWORD_MIN_LENGTH} characters or more,
         not a common password, not one character repeated.</p>${passwordForm(token)}`,
      ),
    );
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
  async pageActivate(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() response: Response) {
    const password = typeof body?.password === 'string' ? body.password : '';
    const weakness = TOKEN.test(token) ? passwordWeakness(password) : 'cannot be set from this link';
    if (weakness) {
      // The form again, with why the password was refused, so that the person can choose another at once.
      const form = TOKEN.test(token) ? passwordForm(token) : '';
      response.status(400).send(layout(cspNonce(response), 'Activate your account', `<p class="error" id="error" role="alert">The password ${escapeHtml(weakness)}.</p>${form}`));
      return;
    }
    try {
      await this.tokens.activate(token, password);
      response.send(layout(cspNonce(response), 'Account activated', '<p>Your account is active. You can now log in with your e-mail address and this password.</p>'));
    } catch (err) {
      if (!(err instanceof ProblemException)) throw err;
      response.status(err.getStatus()).send(layout(cspNonce(response), 'Activation', `<p>${escapeHtml(err.detail)}.</p>`));
    }
  }
}

function passwordForm(token: string): string {
  return `<form method="post" action="/activate/${escapeHtml(token)}">
           <label>Password <input type="password" name="password" id="password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required autocomplete="new-password"></label>
           <button type="submit" id="activate">Activate</button>
         </form>`;
}

/** The page around `body`; its style carries the answer's nonce, which the Content-Security-Policy allows. */
function layout(nonce: string, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body{font-family:system-ui,Arial,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{color:#0b3d6e;font-size:1.5rem}.error{color:#a4000f;font-weight:600}input{display:block;margin:.5rem 0 1rem;padding:.5rem;font-size:1rem;width:100%;box-sizing:border-box}
button{font-size:1rem;padding:.6rem 1.4rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;cursor:pointer}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}
