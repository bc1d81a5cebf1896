import { Body, Controller, Get, Patch, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandOptions, CommandResult } from '@passerelle/event-store-core';
import { ChangePartnership, PARTNERSHIP_READ_MODEL, type PartnershipCommand, PartnershipPastQueries, PartnershipQueries } from '@passerelle/partnerships';
import { ApiAnswers, type AuthUser, CurrentUser, MinPosition, ReadModels, Roles, WRITE_PROBLEMS, WriteAnswerView, WriteOptions } from '@passerelle/platform';
import { uuid } from '../common/uuid.pipe';
import { AS_OF_HEADERS, PastQueryDto, pastAnswer } from '../common/past-query.dto';
import { ListQueryDto } from '../common/list-query.dto';
import { PartnershipTermDto, ReasonDto, RenewPartnershipDto } from './partners.dto';
import { ownInstitution } from './proposals.controller';
import { PartnershipPageView, PartnershipView } from './partners.views';

@ApiTags('partnerships')
@ApiBearerAuth()
@Controller('api/partnerships')
export class PartnershipsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly partnerships: PartnershipQueries,
    private readonly past: PartnershipPastQueries,
    private readonly readModels: ReadModels,
  ) {}

  @ApiAnswers('List partnerships, latest first (a partner sees its own institution\'s)', 200, PartnershipPageView, [400, 401, 503])
  @Get()
  @Roles('partner', 'staff', 'admin')
  async list(@Query() query: ListQueryDto, @CurrentUser() user: AuthUser, @MinPosition() minPosition?: number) {
    await this.readModels.reached([PARTNERSHIP_READ_MODEL], minPosition);
    return this.partnerships.list(ownInstitution(user), query.limit ?? 50, query.cursor);
  }

  @ApiAnswers('Read a partnership', 200, PartnershipView, [400, 401, 404, 503], {
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
    const past = await pastAnswer(query, reply, 'partnership', (point) => this.past.get(id, ownInstitution(user), point));
    if (past) return past;
    await this.readModels.reached([PARTNERSHIP_READ_MODEL], minPosition);
    const partnership = await this.partnerships.get(id, ownInstitution(user));
    if (!partnership) throw new NotFoundException('No such partnership');
    return partnership;
  }

  @ApiAnswers('Suspend a partnership (staff)', 200, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Post(':id/suspend')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  suspend(@Param('id', uuid('id')) id: string, @Body() body: ReasonDto, @WriteOptions() options: CommandOptions) {
    return this.change(id, { type: 'SuspendPartnership', reason: body.reason ?? null, at: now() }, options);
  }

  @ApiAnswers('Resume a suspended partnership (staff)', 200, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Post(':id/resume')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  resume(@Param('id', uuid('id')) id: string, @Body() body: ReasonDto, @WriteOptions() options: CommandOptions) {
    return this.change(id, { type: 'ResumePartnership', reason: body.reason ?? null, at: now() }, options);
  }

  @ApiAnswers('Conclude a partnership (staff)', 200, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Post(':id/conclude')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  conclude(@Param('id', uuid('id')) id: string, @Body() body: ReasonDto, @WriteOptions() options: CommandOptions) {
    return this.change(id, { type: 'ConcludePartnership', reason: body.reason ?? null, at: now() }, options);
  }

  @ApiAnswers('Renew a partnership to a later end (staff); an expired partnership renewed is active again', 200, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Post(':id/renew')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  renew(@Param('id', uuid('id')) id: string, @Body() body: RenewPartnershipDto, @WriteOptions() options: CommandOptions) {
    return this.change(id, { type: 'RenewPartnership', endsOn: body.endsOn, at: now() }, options);
  }

  @ApiAnswers('Correct the term of an active or suspended partnership (staff)', 200, WriteAnswerView, WRITE_PROBLEMS, { write: true })
  @Patch(':id/term')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  changeTerm(@Param('id', uuid('id')) id: string, @Body() body: PartnershipTermDto, @WriteOptions() options: CommandOptions) {
    return this.change(id, { type: 'ChangePartnershipTerm', startsOn: body.startsOn, endsOn: body.endsOn, at: now() }, options);
  }

  private async change(id: string, command: PartnershipCommand, options: CommandOptions) {
    const result: CommandResult = await this.commands.execute(new ChangePartnership(id, command, options));
    return { id, version: result.version, position: result.position };
  }
}

const now = () => new Date().toISOString();
