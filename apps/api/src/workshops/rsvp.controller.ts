import { Body, Controller, Get, Header, Headers, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { type CommandOptions, DomainError } from '@passerelle/event-store-core';
import { formatDates, formatProgramme, formatTimeZone, INVITATION_READ_MODEL, InvitationQueries, RespondToInvitation, RsvpTokens, type RsvpView } from '@passerelle/invitations';
import { escapeHtml, MailTemplates } from '@passerelle/mail';
import { ApiAnswers, ApiPage, ApiProblems, cspNonce, directionOf, preferredLanguage, Public, ReadModels, WriteOptions } from '@passerelle/platform';
import { RsvpDto } from './workshops.dto';
import { RsvpAnswerView, RsvpInvitationView } from './workshops.views';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The participant's side: a page and its JSON twin, reached with the token from the e-mail. No account. */
@ApiTags('rsvp')
@Public()
@Controller()
export class RsvpController {
  private readonly templates = new MailTemplates();

  constructor(
    private readonly commands: CommandBus,
    private readonly invitations: InvitationQueries,
    private readonly readModels: ReadModels,
  ) {}

  @ApiAnswers('Read the invitation an RSVP link is for', 200, RsvpInvitationView, [404])
  @Get('api/rsvp/:token')
  async read(@Param('token') token: string) {
    const view = await this.find(token);
    return {
      workshop: { title: view.workshop.title, city: view.workshop.city, startsOn: view.workshop.startsOn, endsOn: view.workshop.endsOn, timeZone: view.workshop.timeZone },
      fullName: view.fullName,
      status: view.status,
      open: view.workshop.status === 'planned' || view.workshop.status === 'registration_open',
      ...(view.personalDataErased ? { personalDataErased: true } : {}),
    };
  }

  @ApiAnswers('Accept or decline an invitation', 200, RsvpAnswerView, [400, 404, 409, 412, 422], { write: true, description: 'The last answer before the workshop starts counts.' })
  @Post('api/rsvp/:token')
  @HttpCode(HttpStatus.OK)
  async answer(@Param('token') token: string, @Body() body: RsvpDto, @WriteOptions() options: CommandOptions) {
    if (!TOKEN.test(token)) throw new NotFoundException('No invitation has this link');
    const result = await this.commands.execute(new RespondToInvitation(token, body.response, options));
    return { id: result.invitationId, version: result.version, position: result.position, status: body.response === 'accept' ? 'accepted' : 'declined' };
  }

  @ApiPage('The page an invitation e-mail links to: the workshop, and Accept / Decline', {
    200: 'the page, in the invitation\'s language',
    404: 'a page saying the link is not valid',
  })
  @Get('rsvp/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async page(
    @Param('token') token: string,
    @Query('after') after: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() response: Response,
  ) {
    if (after && /^\d{1,16}$/.test(after)) await this.readModels.reached([INVITATION_READ_MODEL], Number(after)).catch(() => undefined);
    const view = TOKEN.test(token) ? await this.invitations.rsvp(RsvpTokens.hash(token)) : null;
    if (!view) {
      // No invitation to take a language from: the browser's, else English.
      const language = preferredLanguage(acceptLanguage, this.templates.languages('rsvp-page')) ?? 'en';
      response
        .status(404)
        .header('Content-Language', language)
        .send(this.layout(cspNonce(response), language, this.templates.label('rsvp-page', language, 'notFound'), ''));
      return;
    }
    const { language, html } = this.render(cspNonce(response), token, view);
    response.header('Content-Language', language).send(html);
  }

  @ApiPage('Accept or decline from the page (its form)', { 303: 'back to the page, which shows the answer (`?after=<position>`)' })
  @ApiProblems(400)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: { type: 'object', required: ['response'], properties: { response: { type: 'string', enum: ['accept', 'decline'] } } } })
  @Post('rsvp/:token')
  async pageAnswer(@Param('token') token: string, @Body() body: Record<string, unknown>, @WriteOptions() options: CommandOptions, @Res() response: Response) {
    const choice = body?.response;
    if (!TOKEN.test(token) || (choice !== 'accept' && choice !== 'decline')) {
      response.redirect(`/rsvp/${encodeURIComponent(token)}`, 303);
      return;
    }
    try {
      const result = await this.commands.execute(new RespondToInvitation(token, choice, options));
      response.redirect(`/rsvp/${token}?after=${result.position}`, 303);
    } catch (err) {
      if (err instanceof DomainError || err instanceof NotFoundException) {
        response.redirect(`/rsvp/${token}`, 303);
        return;
      }
      throw err;
    }
  }

  private async find(token: string): Promise<RsvpView> {
    const view = TOKEN.test(token) ? await this.invitations.rsvp(RsvpTokens.hash(token)) : null;
    if (!view) throw new NotFoundException('No invitation has this link');
    return view;
  }

  /** The page in the invitation's language (English when that has no texts), and which it is written in. */
  private render(nonce: string, token: string, view: RsvpView): { language: string; html: string } {
    const language = this.templates.languages('rsvp-page').includes(view.language) ? view.language : 'en';
    const label = (name: string) => this.templates.label('rsvp-page', language, name);
    const open = view.workshop.status === 'planned' || view.workshop.status === 'registration_open';
    const statusText = !open ? label('closed') : label(view.status);
    const { html } = this.templates.render('rsvp-page', language, {
      fullName: view.fullName,
      workshopTitle: view.workshop.title,
      hostInstitution: view.workshop.hostInstitution,
      city: view.workshop.city,
      dates: formatDates(view.workshop.startsOn, view.workshop.endsOn, language),
      timeZone: formatTimeZone(view.workshop.timeZone, view.workshop.startsOn, language),
      programme: formatProgramme(view.workshop.sessions, view.workshop.timeZone, language, label('noProgramme')),
      statusText,
    });
    const buttons =
      open && view.status !== 'bounced'
        ? `<form method="post" action="/rsvp/${escapeHtml(token)}" class="answers">
             <button type="submit" name="response" value="accept" id="accept">${escapeHtml(label('accept'))}</button>
             <button type="submit" name="response" value="decline" id="decline" class="secondary">${escapeHtml(label('decline'))}</button>
           </form>`
        : '';
    return { language, html: this.layout(nonce, language, view.workshop.title, `${html}${buttons}`, open ? view.status : 'closed') };
  }

  /**
   * The page around `body`; `title` is its heading too, so a page without a body (the wrong link) still
   * says what happened. It is written in `language` and its direction (dir="rtl" for Arabic); its style
   * uses logical properties (inline start and end, block start and end), so the status's bar and the
   * buttons sit on the reading side in either direction. The style carries the answer's nonce, which the
   * Content-Security-Policy allows.
   */
  private layout(nonce: string, language: string, title: string, body: string, state = ''): string {
    return `<!doctype html>
<html lang="${escapeHtml(language)}" dir="${directionOf(language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
body{font-family:system-ui,Arial,"Noto Sans Arabic","Noto Sans SC",sans-serif;max-inline-size:40rem;margin-block:3rem;margin-inline:auto;padding-inline:1rem;line-height:1.5;color:#1a1a1a;text-align:start}
h1{font-size:1.5rem;line-height:1.3;margin-block:0 1.5rem;margin-inline:0;color:#0b3d73}
.status{font-weight:600;margin-block:1.5rem;margin-inline:0;padding-block:.75rem;padding-inline:1rem;border-inline-start:4px solid #0b5cad;background:#eef4fb;border-start-end-radius:4px;border-end-end-radius:4px}
.accepted .status{border-color:#1e7b34;background:#e8f5ec}
.declined .status{border-color:#6b7280;background:#f1f2f4}
.closed .status,.bounced .status{border-color:#b45309;background:#fdf3e7}
.programme{white-space:pre-line}
h2{font-size:1.1rem;margin-block:1.5rem .25rem;margin-inline:0;color:#0b3d73}
.zone{margin-block:0 .5rem;margin-inline:0;color:#4b5563;font-size:.95rem}
.answers{display:flex;flex-wrap:wrap;gap:.8rem}
.answers button{font-size:1rem;padding-block:.6rem;padding-inline:1.4rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;cursor:pointer}
.answers button.secondary{background:#e4e7eb;color:#1a1a1a}
</style></head>
<body><main${state ? ` class="${escapeHtml(state)}"` : ''}><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
  }
}
