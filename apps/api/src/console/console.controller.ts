import { Body, Controller, Get, Headers, HttpStatus, Ip, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { AuthService, UsersService } from '@passerelle/accounts';
import { CallQueries, CallTerms } from '@passerelle/calls';
import { type CommandOptions, DomainError, PreconditionFailedError } from '@passerelle/event-store-core';
import { ApiPage, AppConfig, type AuthUser, ProblemException, Public, ReadModels, validationPipe } from '@passerelle/platform';
import { ChangeProposal, type ProposalCommand, type ProposalDetail, PROPOSAL_READ_MODEL, ProposalQueries, type ProposalStatus } from '@passerelle/proposals';
import { PartnershipQueries } from '@passerelle/partnerships';
import { ReportQueries } from '@passerelle/reporting';
import { localSessionTimes, WorkshopQueries } from '@passerelle/workshops';
import { CommentDto, ConflictDeclarationDto, CreateProposalDto, EditProposalDto, PROPOSAL_STATUSES, ReasonDto, RequiredReasonDto, ReviewDto } from '../partners/partners.dto';
import { ownInstitution } from '../partners/proposals.controller';
import { CONSOLE_CSS } from './console.css';
import { type ConsoleSession, ConsoleSessions, cookiesOf, randomToken, sameToken, SIGN_IN_CSRF_COOKIE } from './console-sessions';
import { csrfField, escapeHtml, languageOf, page, type PageFrame, table, Texts } from './console.page';
import { proposalForm, proposalPage } from './console.proposals';

type Form = Record<string, unknown>;
type FieldErrors = Map<string, string[]>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STAFF_ACTIONS = ['conflict', 'review', 'request-changes', 'approve', 'reject'] as const;
const PARTNER_ACTIONS = ['submit', 'withdraw'] as const;

/** A signed-in page's request: its session, and the frame every page of it is drawn in. */
interface Visit {
  session: ConsoleSession;
  user: AuthUser;
  frame: PageFrame;
  texts: Texts;
}

/**
 * The console: pages for staff and partners, on the same commands (through the CommandBus, the person
 * as the actor) and read models as the JSON API. A session cookie instead of a bearer token, so the
 * API's guard lets these routes through (@Public) and each handler checks the session itself.
 */
@ApiTags('console')
@Public()
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly commands: CommandBus,
    private readonly proposals: ProposalQueries,
    private readonly calls: CallQueries,
    private readonly callTerms: CallTerms,
    private readonly partnerships: PartnershipQueries,
    private readonly workshops: WorkshopQueries,
    private readonly reports: ReportQueries,
    private readonly readModels: ReadModels,
    private readonly config: AppConfig,
  ) {}

  // A static asset, not an operation: left out of the OpenAPI document as the documentation UI's are.
  @ApiExcludeEndpoint()
  @Get('assets/console.css')
  stylesheet(@Res() reply: FastifyReply) {
    reply.header('Content-Type', 'text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(CONSOLE_CSS);
  }

  @ApiPage('The sign-in page: e-mail, password and the form\'s CSRF token', { 200: 'the form, in the browser\'s language or `?lang=`' })
  @Get('sign-in')
  async signInPage(@Req() request: FastifyRequest, @Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    if (await this.sessions.current(request)) return reply.redirect('/console', 303);
    const texts = new Texts(languageOf(lang, null, acceptLanguage));
    this.signInForm(request, reply, texts, HttpStatus.OK);
  }

  @ApiPage('Sign in from the form (the API\'s login and its throttling)', { 303: 'the home page of the role, with the session cookie', 401: 'the form again: the e-mail or password is wrong', 403: 'no or a wrong CSRF token', 429: 'the form again: too many failed sign-ins' })
  @Post('sign-in')
  async signIn(
    @Req() request: FastifyRequest,
    @Body() body: Form,
    @Query('lang') lang: unknown,
    @Ip() address: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const language = languageOf(lang ?? body?.lang, null, acceptLanguage);
    const texts = new Texts(language);
    if (!sameToken(text(body?.csrf), cookiesOf(request).get(SIGN_IN_CSRF_COOKIE))) return this.refuseCsrf(reply, texts, null);
    const email = text(body?.email).trim();
    const password = text(body?.password);
    let accountId: string;
    try {
      // The API's login: the same throttling (by account and by address), the same answer for a closed account.
      accountId = (await this.auth.login(email, password, address)).user.id;
    } catch (err) {
      if (err instanceof ProblemException && (err.getStatus() === 401 || err.getStatus() === 429)) {
        const throttled = err.getStatus() === 429;
        if (throttled && err.headers['Retry-After']) reply.header('Retry-After', err.headers['Retry-After']);
        return this.signInForm(request, reply, texts, err.getStatus(), texts.t(throttled ? 'signIn.throttled' : 'signIn.wrong'), email);
      }
      throw err;
    }
    const cookie = await this.sessions.start(accountId, typeof lang === 'string' || typeof body?.lang === 'string' ? language : null);
    if (!cookie) return this.signInForm(request, reply, texts, 401, texts.t('signIn.wrong'), email);
    reply.header('Set-Cookie', [cookie, this.sessions.signInCsrfCookie('')]);
    reply.redirect('/console', 303);
  }

  @ApiPage('Sign out: the session ends', { 303: 'the sign-in page', 403: 'no or a wrong CSRF token' })
  @Post('sign-out')
  async signOut(@Req() request: FastifyRequest, @Body() body: Form, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const session = await this.sessions.current(request);
    if (!session) return reply.redirect('/console/sign-in', 303);
    if (!sameToken(text(body?.csrf), session.csrfToken)) return this.refuseCsrf(reply, new Texts(languageOf(null, session.language, acceptLanguage)), session);
    await this.sessions.end(session.idHash);
    reply.header('Set-Cookie', this.sessions.clearCookie());
    reply.redirect(`/console/sign-in?signed-out=1${session.language ? `&lang=${session.language}` : ''}`, 303);
  }

  @ApiPage('The home page of the signed-in role', { 200: 'the page', 303: 'the sign-in page, when not signed in' })
  @Get()
  async home(@Req() request: FastifyRequest, @Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, lang, acceptLanguage, 'home');
    if (!visit) return;
    const { texts, user } = visit;
    if (user.role === 'partner') {
      const [mine, calls, partnerships] = await Promise.all([
        this.proposals.list(ownInstitution(user), undefined, 20),
        this.calls.list(true, 'open', 20),
        this.partnerships.list(ownInstitution(user), 20),
      ]);
      // A partnership is named by the proposal it came from.
      const titles = new Map(mine.items.map((p) => [p.id, p.title]));
      const unnamed = partnerships.items.filter((p) => !titles.has(p.proposalId));
      for (const p of await Promise.all(unnamed.map((u) => this.proposals.get(u.proposalId, ownInstitution(user))))) if (p) titles.set(p.id, p.title);
      const body = [
        `<h2>${texts.t('home.myProposals')}</h2>`,
        table(texts, [texts.t('col.title'), texts.t('col.status'), texts.t('col.updated')], mine.items.map((p) => [proposalLink(p), statusBadge(texts, p.status), texts.date(p.updatedAt)])),
        `<p><a href="/console/proposals/new">${texts.t('proposals.new')}</a></p>`,
        `<h2>${texts.t('home.openCalls')}</h2>`,
        table(texts, [texts.t('col.title'), texts.t('col.closes')], calls.items.map((c) => [escapeHtml(c.title), texts.date(c.closesAt)])),
        `<h2>${texts.t('home.partnerships')}</h2>`,
        table(
          texts,
          [texts.t('col.proposal'), texts.t('col.status'), texts.t('col.term')],
          partnerships.items.map((p) => [proposalLink({ id: p.proposalId, title: titles.get(p.proposalId) ?? p.proposalId }), statusBadge(texts, p.status), `${texts.date(p.startsOn)} – ${texts.date(p.endsOn)}`]),
        ),
      ].join('\n');
      return this.send(reply, 200, page(visit.frame, texts.t('home.partner'), body));
    }
    const [waiting, calls, workshops] = await Promise.all([this.waitingFor(user.id), this.calls.list(false, 'open', 100), this.workshops.list(100)]);
    const now = Date.now();
    const closingSoon = calls.items.filter((c) => Date.parse(c.closesAt) - now < 14 * 24 * 3600 * 1000).sort((a, b) => a.closesAt.localeCompare(b.closesAt));
    const today = new Date().toISOString().slice(0, 10);
    const upcoming = workshops.items.filter((w) => w.endsOn >= today).sort((a, b) => a.startsOn.localeCompare(b.startsOn)).slice(0, 10);
    const failed = await this.failedDeliveries(workshops.items.filter((w) => w.status === 'concluded').slice(0, 20));
    const body = [
      `<h2>${texts.t('home.waiting')}</h2>`,
      table(texts, [texts.t('col.title'), texts.t('field.round'), texts.t('col.updated')], waiting.map((p) => [proposalLink(p), String(p.round), texts.date(p.updatedAt)])),
      `<h2>${texts.t('home.closingSoon')}</h2>`,
      table(texts, [texts.t('col.title'), texts.t('col.closes')], closingSoon.map((c) => [escapeHtml(c.title), texts.date(c.closesAt)])),
      `<h2>${texts.t('home.upcoming')}</h2>`,
      table(texts, [texts.t('col.title'), texts.t('col.dates'), texts.t('col.city')], upcoming.map((w) => [workshopLink(w), `${texts.date(w.startsOn)} – ${texts.date(w.endsOn)}`, escapeHtml(w.city)])),
      `<h2>${texts.t('home.failedDeliveries')}</h2>`,
      table(texts, [texts.t('col.workshop'), texts.t('col.ministry'), texts.t('col.reason')], failed.map((f) => [workshopLink(f.workshop), escapeHtml(f.ministry), escapeHtml(f.reason)])),
    ].join('\n');
    this.send(reply, 200, page(visit.frame, texts.t('home.staff'), body));
  }

  @ApiPage('Proposals: all for staff, the institution\'s own for a partner; `?status=`, `?callId=`', { 200: 'the page', 303: 'the sign-in page, when not signed in' })
  @Get('proposals')
  async proposalList(@Req() request: FastifyRequest, @Query() query: Record<string, unknown>, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, query.lang, acceptLanguage, 'proposals');
    if (!visit) return;
    const { texts, user } = visit;
    const status = (PROPOSAL_STATUSES as readonly string[]).includes(text(query.status)) ? (text(query.status) as ProposalStatus) : undefined;
    const callId = UUID.test(text(query.callId)) ? text(query.callId) : undefined;
    const cursor = text(query.cursor) || undefined;
    const [list, calls] = await Promise.all([
      this.proposals.list(ownInstitution(user), status, 50, cursor, callId).catch((err: unknown) => {
        // A cursor that is not this list's (altered, or another filter's): the first page.
        if (err instanceof ProblemException) return this.proposals.list(ownInstitution(user), status, 50, undefined, callId);
        throw err;
      }),
      this.calls.list(user.role === 'partner', undefined, 100),
    ]);
    const option = (value: string, label: string, selected: boolean) => `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${label}</option>`;
    const filters = `<form method="get" action="/console/proposals" class="filters">
<div class="field"><label for="status">${texts.t('proposals.status')}</label><select id="status" name="status">${option('', texts.t('proposals.any'), !status)}${PROPOSAL_STATUSES.map((s) => option(s, texts.t(`status.${s}`), s === status)).join('')}</select></div>
<div class="field"><label for="callId">${texts.t('proposals.call')}</label><select id="callId" name="callId">${option('', texts.t('proposals.any'), !callId)}${calls.items.map((c) => option(c.id, escapeHtml(c.title), c.id === callId)).join('')}</select></div>
<button type="submit">${texts.t('proposals.filter')}</button></form>`;
    const rows = list.items.map((p) => [proposalLink(p), statusBadge(texts, p.status), texts.date(p.updatedAt)]);
    const next = list.nextCursor
      ? `<p><a href="/console/proposals?${new URLSearchParams({ ...(status ? { status } : {}), ...(callId ? { callId } : {}), cursor: list.nextCursor }).toString()}">${texts.t('proposals.more')}</a></p>`
      : '';
    const create = user.role === 'partner' ? `<p><a href="/console/proposals/new">${texts.t('proposals.new')}</a></p>` : '';
    this.send(reply, 200, page(visit.frame, texts.t('proposals.title'), `${create}${filters}${table(texts, [texts.t('col.title'), texts.t('col.status'), texts.t('col.updated')], rows)}${next}`));
  }

  @ApiPage('A partner\'s form for a new proposal', { 200: 'the form', 303: 'the sign-in page, when not signed in', 403: 'not a partner' })
  @Get('proposals/new')
  async newProposal(@Req() request: FastifyRequest, @Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, lang, acceptLanguage, 'proposals');
    if (!visit) return;
    if (visit.user.role !== 'partner') return this.forbidden(reply, visit);
    await this.sendProposalForm(reply, visit, null, {}, new Map(), 200);
  }

  @ApiPage('Draft a proposal from the form', { 303: 'the new proposal\'s page', 400: 'the form again, each error beside its field', 403: 'not a partner, or no or a wrong CSRF token', 409: 'the form again: refused (a call not open, outside its terms)' })
  @Post('proposals/new')
  async createProposal(@Req() request: FastifyRequest, @Body() body: Form, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, undefined, acceptLanguage, 'proposals');
    if (!visit) return;
    if (!sameToken(text(body?.csrf), visit.session.csrfToken)) return this.refuseCsrf(reply, visit.texts, visit.session);
    if (visit.user.role !== 'partner') return this.forbidden(reply, visit);
    const input = proposalInput(body, false);
    const checked = await this.validate(CreateProposalDto, input);
    if (checked.errors) return this.sendProposalForm(reply, visit, null, body, checked.errors, 400);
    const dto = checked.value as CreateProposalDto;
    const callErrors = await this.unknownCall(dto.callId);
    if (callErrors) return this.sendProposalForm(reply, visit, null, body, callErrors, 400);
    const proposalId = randomUUID();
    const fields = { ...dto, workshopId: dto.workshopId ?? null, budget: dto.budget ?? null, callId: dto.callId ?? null };
    const command: ProposalCommand = { type: 'CreateProposal', proposalId, institutionId: visit.user.institutionId!, authorId: visit.user.id, fields, at: now() };
    try {
      const result = await this.commands.execute(new ChangeProposal(proposalId, command, { ...this.options(request, visit.user), loaded: [] }, ownInstitution(visit.user)));
      reply.redirect(`/console/proposals/${proposalId}?after=${result.position}`, 303);
    } catch (err) {
      if (err instanceof DomainError) return this.sendProposalForm(reply, visit, null, body, domainErrors(err), 409);
      throw err;
    }
  }

  @ApiPage('One proposal: its fields, timeline, reviews, approvals, and the actions its state allows', { 200: 'the page', 303: 'the sign-in page, when not signed in', 404: 'no such proposal, or another institution\'s' })
  @Get('proposals/:id')
  async proposal(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Record<string, unknown>, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, query.lang, acceptLanguage, 'proposals');
    if (!visit) return;
    const after = text(query.after);
    if (/^\d{1,16}$/.test(after)) await this.readModels.reached([PROPOSAL_READ_MODEL], Number(after)).catch(() => undefined);
    const proposal = UUID.test(id) ? await this.proposals.get(id, ownInstitution(visit.user)) : null;
    if (!proposal) return this.notFound(reply, visit);
    await this.sendProposal(reply, visit, proposal, 200);
  }

  @ApiPage('A partner\'s form to edit a proposal in draft or sent back', { 200: 'the form', 303: 'the sign-in page, when not signed in', 404: 'no such proposal, or another institution\'s' })
  @Get('proposals/:id/edit')
  async editPage(@Req() request: FastifyRequest, @Param('id') id: string, @Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, lang, acceptLanguage, 'proposals');
    if (!visit) return;
    if (visit.user.role !== 'partner') return this.forbidden(reply, visit);
    const proposal = UUID.test(id) ? await this.proposals.get(id, ownInstitution(visit.user)) : null;
    if (!proposal) return this.notFound(reply, visit);
    await this.sendProposalForm(reply, visit, proposal, formOf(proposal), new Map(), 200);
  }

  @ApiPage('Edit a proposal from the form, at the version it was read at', { 303: 'the proposal\'s page', 400: 'the form again, each error beside its field', 403: 'no or a wrong CSRF token', 404: 'no such proposal, or another institution\'s', 409: 'changed meanwhile: its page shows the new state' })
  @Post('proposals/:id/edit')
  async edit(@Req() request: FastifyRequest, @Param('id') id: string, @Body() body: Form, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, undefined, acceptLanguage, 'proposals');
    if (!visit) return;
    if (!sameToken(text(body?.csrf), visit.session.csrfToken)) return this.refuseCsrf(reply, visit.texts, visit.session);
    if (visit.user.role !== 'partner') return this.forbidden(reply, visit);
    const proposal = UUID.test(id) ? await this.proposals.get(id, ownInstitution(visit.user)) : null;
    if (!proposal) return this.notFound(reply, visit);
    const checked = await this.validate(EditProposalDto, proposalInput(body, true));
    if (checked.errors) return this.sendProposalForm(reply, visit, proposal, body, checked.errors, 400);
    const changes = checked.value as EditProposalDto;
    const callErrors = await this.unknownCall(changes.callId);
    if (callErrors) return this.sendProposalForm(reply, visit, proposal, body, callErrors, 400);
    await this.apply(request, reply, visit, proposal, body, { type: 'EditProposal', changes, editorId: visit.user.id, at: now() }, 'edit');
  }

  @ApiPage('An action on a proposal (submit, withdraw, declare a conflict, review, request changes, approve, reject), at the version it was read at', { 303: 'the proposal\'s page', 400: 'the page again, each error beside its field', 403: 'no or a wrong CSRF token, or not this role\'s action', 404: 'no such proposal, or another institution\'s', 409: 'changed meanwhile, or refused in its state: the page shows the new state' })
  @Post('proposals/:id/:action')
  async act(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() body: Form,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const visit = await this.visit(request, reply, undefined, acceptLanguage, 'proposals');
    if (!visit) return;
    if (!sameToken(text(body?.csrf), visit.session.csrfToken)) return this.refuseCsrf(reply, visit.texts, visit.session);
    const staff = visit.user.role !== 'partner';
    const allowed: readonly string[] = staff ? STAFF_ACTIONS : PARTNER_ACTIONS;
    if (![...STAFF_ACTIONS, ...PARTNER_ACTIONS].includes(action as never)) return this.notFound(reply, visit);
    if (!allowed.includes(action)) return this.forbidden(reply, visit);
    const proposal = UUID.test(id) ? await this.proposals.get(id, ownInstitution(visit.user)) : null;
    if (!proposal) return this.notFound(reply, visit);
    const me = visit.user.id;
    const at = now();
    let command: ProposalCommand;
    const fail = (errors: FieldErrors) => this.sendProposal(reply, visit, proposal, 400, { form: action, errors, values: body });
    switch (action) {
      case 'conflict': {
        const checked = await this.validate(ConflictDeclarationDto, { conflict: body.conflict === 'yes' ? true : body.conflict === 'no' ? false : body.conflict, ...(text(body.reason).trim() ? { reason: text(body.reason) } : {}) });
        if (checked.errors) return fail(checked.errors);
        const dto = checked.value as ConflictDeclarationDto;
        command = { type: 'DeclareConflict', staffId: me, conflict: dto.conflict, reason: dto.reason ?? null, at };
        break;
      }
      case 'review': {
        const score = text(body.score);
        const checked = await this.validate(ReviewDto, { score: /^\d+$/.test(score) ? Number(score) : score, recommendation: body.recommendation, comment: body.comment });
        if (checked.errors) return fail(checked.errors);
        command = { type: 'ReviewProposal', reviewerId: me, ...(checked.value as ReviewDto), at };
        break;
      }
      case 'request-changes': {
        const checked = await this.validate(CommentDto, { comment: body.comment });
        if (checked.errors) return fail(checked.errors);
        command = { type: 'RequestChanges', reviewerId: me, comment: (checked.value as CommentDto).comment, at };
        break;
      }
      case 'approve':
        command = { type: 'ApproveProposal', approverId: me, approvalsRequired: this.approvalsRequired(), at };
        break;
      case 'reject': {
        const checked = await this.validate(RequiredReasonDto, { reason: body.reason });
        if (checked.errors) return fail(checked.errors);
        command = { type: 'RejectProposal', reviewerId: me, reason: (checked.value as RequiredReasonDto).reason, at };
        break;
      }
      case 'submit':
        command = { type: 'SubmitProposal', submitterId: me, at };
        break;
      default: {
        const checked = await this.validate(ReasonDto, text(body.reason).trim() ? { reason: body.reason } : {});
        if (checked.errors) return fail(checked.errors);
        command = { type: 'WithdrawProposal', reason: (checked.value as ReasonDto).reason ?? null, actorId: me, at };
      }
    }
    await this.apply(request, reply, visit, proposal, body, command, action);
  }

  @ApiPage('Workshops (staff)', { 200: 'the page', 303: 'the sign-in page, when not signed in', 403: 'a partner' })
  @Get('workshops')
  async workshopList(@Req() request: FastifyRequest, @Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, lang, acceptLanguage, 'workshops');
    if (!visit) return;
    if (visit.user.role === 'partner') return this.forbidden(reply, visit);
    const { texts } = visit;
    const list = await this.workshops.list(100);
    const rows = list.items.map((w) => [workshopLink(w), `${texts.date(w.startsOn)} – ${texts.date(w.endsOn)}`, escapeHtml(w.city), statusBadge(texts, w.status)]);
    this.send(reply, 200, page(visit.frame, texts.t('workshops.title'), table(texts, [texts.t('col.title'), texts.t('col.dates'), texts.t('col.city'), texts.t('col.status')], rows)));
  }

  @ApiPage('One workshop: sessions in its local time, invitations by status (staff)', { 200: 'the page', 303: 'the sign-in page, when not signed in', 403: 'a partner', 404: 'no such workshop' })
  @Get('workshops/:id')
  async workshop(@Req() request: FastifyRequest, @Param('id') id: string, @Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    const visit = await this.visit(request, reply, lang, acceptLanguage, 'workshops');
    if (!visit) return;
    if (visit.user.role === 'partner') return this.forbidden(reply, visit);
    const { texts } = visit;
    const workshop = UUID.test(id) ? await this.workshops.get(id) : null;
    if (!workshop) return this.notFound(reply, visit);
    const fields = `<dl class="fields"><dt>${texts.t('col.status')}</dt><dd>${statusBadge(texts, workshop.status)}</dd><dt>${texts.t('col.dates')}</dt><dd>${texts.date(workshop.startsOn)} – ${texts.date(workshop.endsOn)} (${escapeHtml(workshop.timeZone)})</dd><dt>${texts.t('col.city')}</dt><dd>${escapeHtml(workshop.city)}, ${escapeHtml(workshop.country)}</dd></dl>`;
    const sessions = table(
      texts,
      [texts.t('col.title'), texts.t('col.dates')],
      // Sessions in the venue's local time, the zone named, as e-mails, the RSVP page and the report give them.
      workshop.sessions.map((s) => [escapeHtml(s.title), escapeHtml(localSessionTimes(s.startsAt, s.endsAt, workshop.timeZone, texts.written))]),
    );
    const counts = (['issued', 'emailed', 'bounced', 'accepted', 'declined', 'total'] as const).map((k) => [texts.t(`invitations.${k}`), String(workshop.invitations[k] ?? 0)]);
    this.send(
      reply,
      200,
      page(visit.frame, workshop.title, `${fields}<h2>${texts.t('workshop.sessions')}</h2>${sessions}<h2>${texts.t('workshop.invitations')}</h2>${table(texts, [texts.t('col.status'), texts.t('invitations.total')], counts)}`),
    );
  }

  // ---- the parts every page shares

  /** The signed-in visit of a page, or null when the request was answered (a redirect to sign in). */
  private async visit(request: FastifyRequest, reply: FastifyReply, lang: unknown, acceptLanguage: string | undefined, section: PageFrame['section']): Promise<Visit | null> {
    const session = await this.sessions.current(request);
    if (!session) {
      const language = typeof lang === 'string' && /^[a-z]{2}$/.test(lang) ? `?lang=${lang}` : '';
      reply.redirect(`/console/sign-in${language}`, 303);
      return null;
    }
    const language = languageOf(lang, session.language, acceptLanguage);
    // A language chosen with ?lang= stays chosen for the next pages of the session.
    if (typeof lang === 'string' && language === lang) await this.sessions.setLanguage(session, language);
    const texts = new Texts(language);
    return { session, user: session.user, texts, frame: { texts, user: session.user, csrfToken: session.csrfToken, path: request.method === 'GET' ? request.url : '/console', section } };
  }

  private send(reply: FastifyReply, status: number, html: string): void {
    reply.status(status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
  }

  private signInForm(request: FastifyRequest, reply: FastifyReply, texts: Texts, status: number, error?: string, email = ''): void {
    const token = randomToken();
    reply.header('Set-Cookie', this.sessions.signInCsrfCookie(token));
    const signedOut = (request.query as Record<string, unknown>)?.['signed-out'] ? `<p class="notice" role="status">${texts.t('signIn.signedOut')}</p>` : '';
    const body = `${signedOut}${error ? `<p class="notice error" role="alert">${error}</p>` : ''}
<form method="post" action="/console/sign-in" class="sign-in">${csrfField(token)}<input type="hidden" name="lang" value="${escapeHtml(texts.language)}">
<div class="field"><label for="email">${texts.t('signIn.email')}</label><input type="email" id="email" name="email" autocomplete="username" required value="${escapeHtml(email)}"></div>
<div class="field"><label for="password">${texts.t('signIn.password')}</label><input type="password" id="password" name="password" autocomplete="current-password" required></div>
<button type="submit">${texts.t('signIn.submit')}</button></form>`;
    this.send(reply, status, page({ texts, user: null, csrfToken: null, path: request.url }, texts.t('signIn.title'), body));
  }

  private refuseCsrf(reply: FastifyReply, texts: Texts, session: ConsoleSession | null): void {
    const frame: PageFrame = { texts, user: session?.user ?? null, csrfToken: session?.csrfToken ?? null, path: '/console' };
    this.send(reply, 403, page(frame, texts.t('forbidden.title'), `<p class="notice error">${texts.t('csrf')}</p>`));
  }

  private forbidden(reply: FastifyReply, visit: Visit): void {
    this.send(reply, 403, page(visit.frame, visit.texts.t('forbidden.title'), `<p class="notice error">${visit.texts.t('forbidden')}</p>`));
  }

  private notFound(reply: FastifyReply, visit: Visit): void {
    this.send(reply, 404, page(visit.frame, visit.texts.t('notFound.title'), `<p class="notice error">${visit.texts.t('notFound')}</p>`));
  }

  private options(request: FastifyRequest, user: AuthUser, expectedVersion?: number): CommandOptions {
    return { metadata: { actor: user.id, correlationId: String(request.id ?? ''), causationId: null }, expectedVersion };
  }

  private approvalsRequired(): number {
    return this.config.APPROVALS_REQUIRED;
  }

  /**
   * Sends a proposal command at the version the form was read at. A proposal that changed since is left
   * as it is: the page says so and shows its new state. A rule the command breaks is shown on the page.
   */
  private async apply(request: FastifyRequest, reply: FastifyReply, visit: Visit, proposal: ProposalDetail, body: Form, command: ProposalCommand, form: string): Promise<void> {
    const version = text(body.version);
    if (!/^\d{1,9}$/.test(version)) {
      return this.sendProposal(reply, visit, proposal, 400, { form, errors: new Map([['version', ['version is missing']]]), values: body });
    }
    try {
      const result = await this.commands.execute(new ChangeProposal(proposal.id, command, this.options(request, visit.user, Number(version)), ownInstitution(visit.user)));
      reply.redirect(`/console/proposals/${proposal.id}?after=${result.position}`, 303);
    } catch (err) {
      if (err instanceof PreconditionFailedError) {
        const fresh = await this.freshProposal(proposal.id, visit.user, err.actual);
        return this.sendProposal(reply, visit, fresh ?? proposal, 409, { notice: visit.texts.t('proposal.changed') });
      }
      if (err instanceof DomainError) {
        if (form === 'edit') return this.sendProposalForm(reply, visit, proposal, body, domainErrors(err), 409);
        return this.sendProposal(reply, visit, proposal, 409, { notice: visit.texts.t('proposal.refused', { reason: err.message }), form, errors: domainErrors(err), values: body });
      }
      throw err;
    }
  }

  /** The proposal once its read model shows `version` (a second at most; else what it shows). */
  private async freshProposal(id: string, user: AuthUser, version: number): Promise<ProposalDetail | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const proposal = await this.proposals.get(id, ownInstitution(user));
      if (!proposal || proposal.version >= version) return proposal;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.proposals.get(id, ownInstitution(user));
  }

  private async sendProposal(reply: FastifyReply, visit: Visit, proposal: ProposalDetail, status: number, state: { notice?: string; form?: string; errors?: FieldErrors; values?: Form } = {}): Promise<void> {
    const actorIds = [...new Set([...proposal.history.map((h) => h.actor), ...proposal.reviews.map((r) => r.reviewerId), ...proposal.approvals.map((a) => a.approverId), ...(proposal.conflictDeclarations ?? []).map((c) => c.staffId)].filter((a): a is string => typeof a === 'string' && UUID.test(a)))];
    const people = new Map((actorIds.length ? await this.users.findByIds(actorIds) : []).map((u) => [u.id, u.fullName || u.email]));
    const call = proposal.callId ? await this.calls.get(proposal.callId, false) : null;
    this.send(reply, status, page({ ...visit.frame, path: `/console/proposals/${proposal.id}` }, proposal.title, proposalPage(visit.texts, visit.user, visit.session.csrfToken, proposal, people, call?.title ?? null, state)));
  }

  private async sendProposalForm(reply: FastifyReply, visit: Visit, proposal: ProposalDetail | null, values: Form, errors: FieldErrors, status: number): Promise<void> {
    const calls = await this.calls.list(true, 'open', 100);
    const title = visit.texts.t(proposal ? 'proposal.editTitle' : 'proposal.newTitle');
    this.send(reply, status, page({ ...visit.frame, path: proposal ? `/console/proposals/${proposal.id}/edit` : '/console/proposals/new' }, title, proposalForm(visit.texts, visit.session.csrfToken, proposal, values, errors, calls.items)));
  }

  private async validate(metatype: new () => object, value: Form): Promise<{ value?: object; errors?: FieldErrors }> {
    try {
      return { value: (await validationPipe().transform(value, { type: 'body', metatype })) as object };
    } catch (err) {
      if (err instanceof ProblemException && err.errors) return { errors: byField(err.errors) };
      throw err;
    }
  }

  /** As the API: a call that does not exist is bad input naming callId. */
  private async unknownCall(callId: string | null | undefined): Promise<FieldErrors | null> {
    if (typeof callId === 'string' && !(await this.callTerms.exists(callId))) return byField([{ field: 'callId', message: 'is not a call for proposals' }]);
    return null;
  }

  /** Submitted proposals I have neither approved this round nor stepped aside from. */
  private async waitingFor(staffId: string): Promise<{ id: string; title: string; round: number; updatedAt: string }[]> {
    const submitted = await this.proposals.list(null, 'submitted', 100);
    const details = await Promise.all(submitted.items.slice(0, 30).map((p) => this.proposals.get(p.id, null)));
    return details.filter(
      (p): p is ProposalDetail =>
        !!p && !p.approvals.some((a) => a.approverId === staffId && a.round === p.round) && !(p.conflictDeclarations ?? []).some((c) => c.staffId === staffId && c.conflict),
    );
  }

  private async failedDeliveries(workshops: { id: string; title: string }[]): Promise<{ workshop: { id: string; title: string }; ministry: string; reason: string }[]> {
    const reports = await Promise.all(workshops.map(async (w) => ({ workshop: w, report: await this.reports.view(w.id).catch(() => null) })));
    return reports.flatMap(({ workshop, report }) => (report?.deliveries ?? []).filter((d) => d.status === 'failed').map((d) => ({ workshop, ministry: d.ministry, reason: d.reason ?? '' })));
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const now = () => new Date().toISOString();
const proposalLink = (p: { id: string; title: string }) => `<a href="/console/proposals/${escapeHtml(p.id)}">${escapeHtml(p.title)}</a>`;
const workshopLink = (w: { id: string; title: string }) => `<a href="/console/workshops/${escapeHtml(w.id)}">${escapeHtml(w.title)}</a>`;
export const statusBadge = (texts: Texts, status: string) => `<span class="status">${texts.maybe(`status.${status}`, status)}</span>`;

function byField(errors: readonly { field: string; message: string }[]): FieldErrors {
  const map: FieldErrors = new Map();
  for (const e of errors) {
    // budget.amount is shown beside the budget's amount; sectors.2 beside the sectors.
    const field = e.field.startsWith('budget') ? e.field : e.field.split('.')[0];
    map.set(field, [...(map.get(field) ?? []), e.message]);
  }
  return map;
}

function domainErrors(err: DomainError): FieldErrors {
  return byField(err.errors ?? [{ field: 'form', message: err.message }]);
}

/** A proposal form's fields as the API's body: lists split at commas, numbers as numbers when they are. */
function proposalInput(body: Form, editing: boolean): Form {
  const list = (v: unknown) => text(v).split(',').map((s) => s.trim()).filter(Boolean);
  const num = (v: unknown) => (/^-?\d+(\.\d+)?$/.test(text(v).trim()) ? Number(text(v).trim()) : text(v));
  const amount = text(body.amount).trim();
  const currency = text(body.currency).trim();
  const callId = text(body.callId).trim();
  return {
    title: text(body.title),
    summary: text(body.summary),
    sectors: list(body.sectors),
    countries: list(body.countries),
    durationMonths: num(body.durationMonths),
    ...(amount || currency ? { budget: { amount: num(amount), currency } } : editing ? { budget: null } : {}),
    ...(callId ? { callId } : editing ? { callId: null } : {}),
  };
}

/** A proposal's fields as its form shows them. */
function formOf(p: ProposalDetail): Form {
  return {
    title: p.title,
    summary: p.summary,
    sectors: p.sectors.join(', '),
    countries: p.countries.join(', '),
    durationMonths: String(p.durationMonths),
    amount: p.budget ? String(p.budget.amount) : '',
    currency: p.budget?.currency ?? '',
    callId: p.callId ?? '',
    version: String(p.version),
  };
}
