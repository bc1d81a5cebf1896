import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { CommandOptions, CommandResult } from '@passerelle/event-store-core';
import { INVITATION_READ_MODEL, InvitationQueries, InviteParticipants, RecordAttendance } from '@passerelle/invitations';
import { ApiAnswers, MinPosition, READ_PROBLEMS, ReadModels, Roles, WRITE_PROBLEMS, WriteAnswerView, WriteOptions } from '@passerelle/platform';
import { ChangeWorkshop, WORKSHOP_READ_MODEL, type WorkshopCommand, workshopIdOf, WorkshopPastQueries, WorkshopQueries } from '@passerelle/workshops';
import { AddSessionDto, AttendanceDto, CreateWorkshopDto, InvitationListQueryDto, InviteParticipantsDto, SolutionDto } from './workshops.dto';
import { ListQueryDto } from '../common/list-query.dto';
import { EmptyBody } from '../common/empty-body.pipe';
import { uuid } from '../common/uuid.pipe';
import { AS_OF_HEADERS, PastQueryDto, pastAnswer } from '../common/past-query.dto';
import { InvitationPageView, InvitationsIssuedView, SessionAddedView, SolutionPresentedView, WorkshopDetailView, WorkshopPageView } from './workshops.views';

@ApiTags('workshops')
@ApiBearerAuth()
@Roles('staff', 'admin')
@Controller('api/workshops')
export class WorkshopsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly workshops: WorkshopQueries,
    private readonly past: WorkshopPastQueries,
    private readonly invitations: InvitationQueries,
    private readonly readModels: ReadModels,
  ) {}

  @ApiAnswers('Plan a workshop', 201, WriteAnswerView, [400, 401, 403, 409, 412, 422], { write: true })
  @Post()
  async create(@Body() body: CreateWorkshopDto, @WriteOptions() options: CommandOptions) {
    const id = randomUUID();
    const result = await this.change(id, { type: 'PlanWorkshop', workshopId: id, ...body, at: now() }, options);
    // A repeated Idempotency-Key answers with the workshop the first request created.
    return { ...answer(result), id: workshopIdOf(result.streamId) };
  }

  @ApiAnswers('List workshops, latest start first', 200, WorkshopPageView, [400, 401, 403, 503])
  @Get()
  async list(@Query() query: ListQueryDto, @MinPosition() minPosition?: number) {
    await this.readModels.reached([WORKSHOP_READ_MODEL], minPosition);
    return this.workshops.list(query.limit ?? 50, query.cursor);
  }

  @ApiAnswers('Read a workshop: sessions, solutions and invitations by status', 200, WorkshopDetailView, READ_PROBLEMS, {
    description:
      'With `asOf` or `version`: as it was then, folded from its stream, with `X-As-Of-Version`. The invitations\' statuses are in their own streams: ' +
      'in the past, `invitations` counts only the `total` invited by then (the counts by status are null) and `invited` lists them.',
    headers: AS_OF_HEADERS,
  })
  @Get(':id')
  async detail(
    @Param('id', uuid('id')) id: string,
    @Query() query: PastQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @MinPosition() minPosition?: number,
  ) {
    const past = await pastAnswer(query, reply, 'workshop', (point) => this.past.get(id, point));
    if (past) return past;
    await this.readModels.reached([WORKSHOP_READ_MODEL, INVITATION_READ_MODEL], minPosition);
    const workshop = await this.workshops.get(id);
    if (!workshop) throw new NotFoundException('No such workshop');
    return workshop;
  }

  @ApiAnswers('Add a session to a workshop', 201, SessionAddedView, WRITE_PROBLEMS, { write: true })
  @Post(':id/sessions')
  async addSession(@Param('id', uuid('id')) id: string, @Body() body: AddSessionDto, @WriteOptions() options: CommandOptions) {
    const sessionId = randomUUID();
    // Times are kept in UTC so that they compare as text.
    const utc = (instant: string) => new Date(instant).toISOString();
    const session = { ...body, startsAt: utc(body.startsAt), endsAt: utc(body.endsAt), location: body.location ?? null };
    const result = await this.change(id, { type: 'AddSession', sessionId, ...session }, options);
    const added = result.events.find((e) => e.type === 'WorkshopSessionAdded')?.data as { sessionId: string } | undefined;
    return { sessionId: added?.sessionId ?? sessionId, ...answer(result) };
  }

  @ApiAnswers('Open registration', 200, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Post(':id/open-registration')
  @HttpCode(HttpStatus.OK)
  async openRegistration(@Param('id', uuid('id')) id: string, @Body(EmptyBody) _body: undefined, @WriteOptions() options: CommandOptions) {
    return answer(await this.change(id, { type: 'OpenRegistration', at: now() }, options));
  }

  @ApiAnswers('Start the workshop', 200, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Post(':id/start')
  @HttpCode(HttpStatus.OK)
  async start(@Param('id', uuid('id')) id: string, @Body(EmptyBody) _body: undefined, @WriteOptions() options: CommandOptions) {
    return answer(await this.change(id, { type: 'StartWorkshop', at: now() }, options));
  }

  @ApiAnswers('Conclude the workshop', 202, WriteAnswerView, WRITE_PROBLEMS, { write: true, description: 'The worker then compiles the report and sends it to the ministries.' })
  @Post(':id/conclude')
  @HttpCode(HttpStatus.ACCEPTED)
  async conclude(@Param('id', uuid('id')) id: string, @Body(EmptyBody) _body: undefined, @WriteOptions() options: CommandOptions) {
    return answer(await this.change(id, { type: 'ConcludeWorkshop', at: now() }, options));
  }

  @ApiAnswers('Record a solution presented at a solutions-sharing session', 201, SolutionPresentedView, WRITE_PROBLEMS, { write: true })
  @Post(':id/solutions')
  async presentSolution(@Param('id', uuid('id')) id: string, @Body() body: SolutionDto, @WriteOptions() options: CommandOptions) {
    const solutionId = randomUUID();
    const result = await this.change(id, { type: 'PresentSolution', solutionId, ...body }, options);
    const presented = result.events.find((e) => e.type === 'WorkshopSolutionPresented')?.data as { solutionId: string } | undefined;
    return { solutionId: presented?.solutionId ?? solutionId, ...answer(result) };
  }

  @ApiAnswers('Record who attended a session', 200, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Post(':id/sessions/:sessionId/attendance')
  @HttpCode(HttpStatus.OK)
  async attendance(
    @Param('id', uuid('id')) id: string,
    @Param('sessionId', uuid('sessionId')) sessionId: string,
    @Body() body: AttendanceDto,
    @WriteOptions() options: CommandOptions,
  ) {
    const { replayed: _replayed, ...result } = await this.commands.execute(new RecordAttendance(id, sessionId, body.invitationIds, options));
    return result;
  }

  @ApiAnswers('Invite participants (1 to 1000)', 202, InvitationsIssuedView, WRITE_PROBLEMS, { description: 'One e-mail each, sent by the worker.' })
  @Post(':id/invitations')
  @HttpCode(HttpStatus.ACCEPTED)
  async invite(@Param('id', uuid('id')) id: string, @Body() body: InviteParticipantsDto, @WriteOptions() options: CommandOptions) {
    const participants = body.participants.map((p) => ({ ...p, position: p.position ?? null }));
    const { items, position } = await this.commands.execute(new InviteParticipants(id, participants, options));
    return { items, position };
  }

  @ApiAnswers("List a workshop's invitations", 200, InvitationPageView, READ_PROBLEMS)
  @Get(':id/invitations')
  async listInvitations(@Param('id', uuid('id')) id: string, @Query() query: InvitationListQueryDto, @MinPosition() minPosition?: number) {
    await this.readModels.reached([WORKSHOP_READ_MODEL, INVITATION_READ_MODEL], minPosition);
    if (!(await this.workshops.get(id))) throw new NotFoundException('No such workshop');
    return this.invitations.list(id, query.status, query.limit ?? 50, query.cursor);
  }

  private change(id: string, command: WorkshopCommand, options: CommandOptions): Promise<CommandResult> {
    return this.commands.execute(new ChangeWorkshop(id, command, options));
  }
}

const now = () => new Date().toISOString();

/** A write's answer (API.md): the workshop's id, its version and the position of the write. */
function answer(result: CommandResult) {
  return { id: workshopIdOf(result.streamId), version: result.version, position: result.position };
}
