import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { type CommandOptions, type CommandResult } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { ApiAnswers, AppConfig, type AuthUser, CurrentUser, MinPosition, ReadModels, Roles, ValidationProblem, WRITE_PROBLEMS, WriteAnswerView, WriteOptions } from '@passerelle/platform';
import { workshopStream } from '@passerelle/workshops';
import { CallTerms } from '@passerelle/calls';
import { ChangeProposal, type ProposalCommand, proposalIdOf, PROPOSAL_READ_MODEL, ProposalPastQueries, ProposalQueries } from '@passerelle/proposals';
import { EmptyBody } from '../common/empty-body.pipe';
import { uuid } from '../common/uuid.pipe';
import { AS_OF_HEADERS, PastQueryDto, pastAnswer } from '../common/past-query.dto';
import { CommentDto, ConflictDeclarationDto, CreateProposalDto, EditProposalDto, ProposalListQueryDto, ReasonDto, RequiredReasonDto, ReviewDto } from './partners.dto';
import { ProposalDetailView, ProposalPageView, ProposalWriteView } from './partners.views';

/** Partners see and change only their own institution's proposals: anything else is 404. */
@ApiTags('proposals')
@ApiBearerAuth()
@Controller('api/proposals')
export class ProposalsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly proposals: ProposalQueries,
    private readonly past: ProposalPastQueries,
    private readonly readModels: ReadModels,
    private readonly config: AppConfig,
    private readonly store: PostgresEventStore,
    private readonly calls: CallTerms,
  ) {}

  @ApiAnswers('Draft a proposal (partners)', 201, ProposalWriteView, [400, 401, 403, 409, 412, 422], {
    write: true,
    description: 'Status `draft`. With `callId`: 409 `call_closed` when the call is not open, 409 `call_ineligible` (naming the fields) when the proposal is outside its terms.',
  })
  @Post()
  @Roles('partner')
  async create(@Body() body: CreateProposalDto, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    await this.checkReferences(body);
    const proposalId = randomUUID();
    const fields = { ...body, workshopId: body.workshopId ?? null, budget: body.budget ?? null, callId: body.callId ?? null };
    // A new id made here: its stream is empty, so it is not read first (a clash would only retry, reading it).
    const result = await this.change(proposalId, { type: 'CreateProposal', proposalId, institutionId: user.institutionId!, authorId: user.id, fields, at: now() }, { ...options, loaded: [] }, user);
    return { ...answer(result), status: 'draft' };
  }

  @ApiAnswers('Edit a proposal in draft or sent back for changes (partners)', 200, ProposalWriteView, WRITE_PROBLEMS, {
    write: true,
    description:
      'Any of the fields; null clears only workshopId, budget and callId. Naming a call that is not open is a 409 `call_closed`; leaving the terms of its open call a 409 `call_ineligible` naming the fields.',
  })
  @Patch(':id')
  @Roles('partner')
  async edit(@Param('id', uuid('id')) id: string, @Body() body: EditProposalDto, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    await this.checkReferences(body);
    return answer(await this.change(id, { type: 'EditProposal', changes: body, editorId: user.id, at: now() }, options, user));
  }

  @ApiAnswers('Submit a proposal for review (partners)', 200, ProposalWriteView, WRITE_PROBLEMS, {
    write: true,
    description:
      "To a call: 409 `call_closed` unless the call is open now; 409 `call_ineligible` when a sector or country is not the call's, or the budget is over its ceiling, in another currency or missing (its `errors` name `sectors`, `countries`, `budget`, `budget.amount`, `budget.currency`).",
  })
  @Post(':id/submit')
  @Roles('partner')
  @HttpCode(HttpStatus.OK)
  async submit(@Param('id', uuid('id')) id: string, @Body(EmptyBody) _body: undefined, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    return { ...answer(await this.change(id, { type: 'SubmitProposal', submitterId: user.id, at: now() }, options, user)), status: 'submitted' };
  }

  @ApiAnswers('Withdraw a proposal (partners)', 200, ProposalWriteView, WRITE_PROBLEMS, { write: true })
  @Post(':id/withdraw')
  @Roles('partner')
  @HttpCode(HttpStatus.OK)
  async withdraw(@Param('id', uuid('id')) id: string, @Body() body: ReasonDto, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    return { ...answer(await this.change(id, { type: 'WithdrawProposal', reason: body.reason ?? null, actorId: user.id, at: now() }, options, user)), status: 'withdrawn' };
  }

  @ApiAnswers('List proposals, newest first (a partner sees its own institution\'s)', 200, ProposalPageView, [400, 401, 503])
  @Get()
  @Roles('partner', 'staff', 'admin')
  async list(@Query() query: ProposalListQueryDto, @CurrentUser() user: AuthUser, @MinPosition() minPosition?: number) {
    await this.readModels.reached([PROPOSAL_READ_MODEL], minPosition);
    return this.proposals.list(ownInstitution(user), query.status, query.limit ?? 50, query.cursor, query.callId);
  }

  @ApiAnswers('Read a proposal with its reviews, approvals and history (and, for staff, the declarations of conflicts of interest)', 200, ProposalDetailView, [400, 401, 404, 503], {
    description: 'With `asOf` or `version`: as it was then, folded from its stream, with `X-As-Of-Version`.',
    headers: AS_OF_HEADERS,
  })
  @Get(':id')
  @Roles('partner', 'staff', 'admin')
  async detail(
    @Param('id', uuid('id')) id: string,
    @Query() query: PastQueryDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
    @MinPosition() minPosition?: number,
  ) {
    const past = await pastAnswer(query, reply, 'proposal', (point) => this.past.get(id, ownInstitution(user), point));
    if (past) return past;
    await this.readModels.reached([PROPOSAL_READ_MODEL], minPosition);
    const proposal = await this.proposals.get(id, ownInstitution(user));
    if (!proposal) throw new NotFoundException('No such proposal');
    return proposal;
  }

  @ApiAnswers('Declare a conflict of interest with a proposal, or none (staff; once each, for good)', 201, WriteAnswerView, WRITE_PROBLEMS, {
    write: true,
    description:
      'Required before reviewing, sending back, approving or rejecting it (409 `conflict_undeclared`); with a conflict, those are refused for good (409 `conflict_of_interest`) and the staff member does not count towards APPROVALS_REQUIRED. A second declaration is a 409 `conflict_already_declared`.',
  })
  @Post(':id/conflict-declarations')
  @Roles('staff', 'admin')
  async declareConflict(@Param('id', uuid('id')) id: string, @Body() body: ConflictDeclarationDto, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    return answer(await this.change(id, { type: 'DeclareConflict', staffId: user.id, conflict: body.conflict, reason: body.reason ?? null, at: now() }, options, user));
  }

  @ApiAnswers('Review a proposal (staff; one review each per round)', 201, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Post(':id/reviews')
  @Roles('staff', 'admin')
  async review(@Param('id', uuid('id')) id: string, @Body() body: ReviewDto, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    return answer(await this.change(id, { type: 'ReviewProposal', reviewerId: user.id, ...body, at: now() }, options, user));
  }

  @ApiAnswers('Send a proposal back for changes (staff)', 200, ProposalWriteView, WRITE_PROBLEMS, { write: true })
  @Post(':id/request-changes')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  async requestChanges(@Param('id', uuid('id')) id: string, @Body() body: CommentDto, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    return { ...answer(await this.change(id, { type: 'RequestChanges', reviewerId: user.id, comment: body.comment, at: now() }, options, user)), status: 'changes_requested' };
  }

  @ApiAnswers('Approve a proposal (staff)', 200, ProposalWriteView, WRITE_PROBLEMS, { write: true, description: 'Status `approved` once APPROVALS_REQUIRED distinct staff have approved, `submitted` until then.' })
  @Post(':id/approve')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  async approve(@Param('id', uuid('id')) id: string, @Body(EmptyBody) _body: undefined, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    const result = await this.change(id, { type: 'ApproveProposal', approverId: user.id, approvalsRequired: this.config.APPROVALS_REQUIRED, at: now() }, options, user);
    const approved = result.events.some((e) => e.type === 'ProposalApproved');
    return { ...answer(result), status: approved ? 'approved' : 'submitted' };
  }

  @ApiAnswers('Reject a proposal (staff)', 200, ProposalWriteView, WRITE_PROBLEMS, { write: true })
  @Post(':id/reject')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  async reject(@Param('id', uuid('id')) id: string, @Body() body: RequiredReasonDto, @CurrentUser() user: AuthUser, @WriteOptions() options: CommandOptions) {
    return { ...answer(await this.change(id, { type: 'RejectProposal', reviewerId: user.id, reason: body.reason, at: now() }, options, user)), status: 'rejected' };
  }

  /**
   * A proposal may name a workshop and a call: ones that exist (their streams, not a read model that may
   * lag). An unknown one is bad input, a 400 naming the field, as for any other reference in a body.
   */
  private async checkReferences(body: { workshopId?: string | null; callId?: string | null }): Promise<void> {
    const errors = [];
    if (typeof body.workshopId === 'string' && (await this.store.streamVersion(workshopStream(body.workshopId))) === 0) {
      errors.push({ field: 'workshopId', message: 'is not a workshop' });
    }
    if (typeof body.callId === 'string' && !(await this.calls.exists(body.callId))) errors.push({ field: 'callId', message: 'is not a call for proposals' });
    if (errors.length > 0) throw new ValidationProblem(errors);
  }

  private change(id: string, command: ProposalCommand, options: CommandOptions, user: AuthUser): Promise<CommandResult> {
    return this.commands.execute(new ChangeProposal(id, command, options, ownInstitution(user)));
  }
}

/** A partner's institution, which limits what it sees; null for staff, who see everything. */
export const ownInstitution = (user: AuthUser) => (user.role === 'partner' ? (user.institutionId ?? '00000000-0000-0000-0000-000000000000') : null);
const now = () => new Date().toISOString();
const answer = (result: CommandResult) => ({ id: proposalIdOf(result.streamId), version: result.version, position: result.position });
