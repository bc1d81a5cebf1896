import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { CommandOptions, CommandResult } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { CALL_READ_MODEL, type CallCommand, CallQueries, ChangeCall, callIdOf, callStatusAt } from '@passerelle/calls';
import { ApiAnswers, type AuthUser, Clock, CurrentUser, type FieldError, MinPosition, ReadModels, Roles, ValidationProblem, WRITE_PROBLEMS, WriteOptions } from '@passerelle/platform';
import { workshopStream } from '@passerelle/workshops';
import { uuid } from '../common/uuid.pipe';
import { CallListQueryDto, CloseCallDto, OpenCallDto } from './calls.dto';
import { CallPageView, CallView, CallWriteView } from './calls.views';

/** Calls for proposals: staff open and close them; partners see the open ones only (any other is 404 to them). */
@ApiTags('calls')
@ApiBearerAuth()
@Controller('api/calls')
export class CallsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly calls: CallQueries,
    private readonly readModels: ReadModels,
    private readonly store: PostgresEventStore,
    private readonly clock: Clock,
  ) {}

  @ApiAnswers('Open a call for proposals (staff)', 201, CallWriteView, [400, 401, 403, 409, 412, 422], {
    write: true,
    description: 'Status `scheduled` until opensAt, then `open`; the worker closes it at closesAt.',
  })
  @Post()
  @Roles('staff', 'admin')
  async open(@Body() body: OpenCallDto, @WriteOptions() options: CommandOptions) {
    const now = this.clock.now();
    const errors: FieldError[] = [];
    const opensAt = new Date(body.opensAt);
    const closesAt = new Date(body.closesAt);
    if (closesAt.getTime() <= opensAt.getTime()) errors.push({ field: 'closesAt', message: 'closesAt must be after opensAt' });
    else if (closesAt.getTime() <= now) errors.push({ field: 'closesAt', message: 'closesAt must be in the future' });
    if (typeof body.workshopId === 'string' && (await this.store.streamVersion(workshopStream(body.workshopId))) === 0) {
      errors.push({ field: 'workshopId', message: 'is not a workshop' });
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
    const callId = randomUUID();
    const fields = {
      title: body.title,
      summary: body.summary,
      sectors: body.sectors,
      countries: body.countries,
      // Stored in UTC, whatever offset they were written with.
      opensAt: opensAt.toISOString(),
      closesAt: closesAt.toISOString(),
      workshopId: body.workshopId ?? null,
      budgetCeiling: body.budgetCeiling ? { amount: body.budgetCeiling.amount, currency: body.budgetCeiling.currency } : null,
    };
    const at = new Date(now).toISOString();
    // A new id made here: its stream is empty, so it is not read first.
    const result = await this.change(callId, { type: 'OpenCall', callId, fields, at }, { ...options, loaded: [] });
    const status = callStatusAt({ status: 'opened', fields }, now);
    return { ...answer(result), status };
  }

  @ApiAnswers('List calls for proposals, newest first (a partner sees the open ones)', 200, CallPageView, [400, 401, 503])
  @Get()
  @Roles('partner', 'staff', 'admin')
  async list(@Query() query: CallListQueryDto, @CurrentUser() user: AuthUser, @MinPosition() minPosition?: number) {
    await this.readModels.reached([CALL_READ_MODEL], minPosition);
    return this.calls.list(user.role === 'partner', query.status, query.limit ?? 50, query.cursor);
  }

  @ApiAnswers('Read a call for proposals (a partner: an open one)', 200, CallView, [400, 401, 404, 503])
  @Get(':id')
  @Roles('partner', 'staff', 'admin')
  async detail(@Param('id', uuid('id')) id: string, @CurrentUser() user: AuthUser, @MinPosition() minPosition?: number) {
    await this.readModels.reached([CALL_READ_MODEL], minPosition);
    const call = await this.calls.get(id, user.role === 'partner');
    if (!call) throw new NotFoundException('No such call');
    return call;
  }

  @ApiAnswers('Close a call for proposals before its time (staff)', 200, CallWriteView, WRITE_PROBLEMS, {
    write: true,
    description: 'A call already closed (early, or by its closing time) is a 409 `call_closed`.',
  })
  @Post(':id/close')
  @Roles('staff', 'admin')
  @HttpCode(HttpStatus.OK)
  async close(@Param('id', uuid('id')) id: string, @Body() body: CloseCallDto, @WriteOptions() options: CommandOptions) {
    const at = new Date(this.clock.now()).toISOString();
    return { ...answer(await this.change(id, { type: 'CloseCall', reason: body.reason ?? null, at }, options)), status: 'closed' };
  }

  private change(id: string, command: CallCommand, options: CommandOptions): Promise<CommandResult> {
    return this.commands.execute(new ChangeCall(id, command, options));
  }
}

const answer = (result: CommandResult) => ({ id: callIdOf(result.streamId), version: result.version, position: result.position });
