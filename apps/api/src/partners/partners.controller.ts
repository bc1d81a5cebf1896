import { Body, Controller, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { CommandOptions, CommandResult } from '@passerelle/event-store-core';
import { ChangeInstitution, INSTITUTION_READ_MODEL, institutionIdOf, InstitutionQueries } from '@passerelle/partners';
import { ApiAnswers, MinPosition, READ_PROBLEMS, ReadModels, Roles, WRITE_PROBLEMS, WriteAnswerView, WriteOptions } from '@passerelle/platform';
import { uuid } from '../common/uuid.pipe';
import { ListQueryDto } from '../common/list-query.dto';
import { ContactDto, RegisterInstitutionDto } from './partners.dto';
import { InstitutionPageView, InstitutionView } from './partners.views';

@ApiTags('partners')
@ApiBearerAuth()
@Roles('staff', 'admin')
@Controller('api/partner-institutions')
export class PartnersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly institutions: InstitutionQueries,
    private readonly readModels: ReadModels,
  ) {}

  /** Registers an institution; its contact gets an account to activate from an e-mailed link (409 when an account has the e-mail). */
  @ApiAnswers('Register a partner institution and its contact', 201, WriteAnswerView, [400, 401, 403, 409, 412, 422], { write: true, description: 'The contact is e-mailed a link to activate their account; 409 when an account has the e-mail address.' })
  @Post()
  async register(@Body() body: RegisterInstitutionDto, @WriteOptions() options: CommandOptions) {
    const institutionId = randomUUID();
    const contact = { userId: randomUUID(), ...body.contact };
    const result: CommandResult = await this.commands.execute(
      new ChangeInstitution(institutionId, { type: 'RegisterInstitution', institutionId, name: body.name, country: body.country, website: body.website ?? null, contact, at: now() }, options),
    );
    return answer(result);
  }

  /** Another contact for the institution, activated the same way. */
  @ApiAnswers('Add a contact to an institution', 201, WriteAnswerView, WRITE_PROBLEMS, { write: true, description: 'Activated the same way; 409 when an account has the e-mail address.' })
  @Post(':id/contacts')
  async addContact(@Param('id', uuid('id')) id: string, @Body() body: ContactDto, @WriteOptions() options: CommandOptions) {
    const result: CommandResult = await this.commands.execute(new ChangeInstitution(id, { type: 'AddContact', contact: { userId: randomUUID(), ...body }, at: now() }, options));
    return answer(result);
  }

  @ApiAnswers('List partner institutions by name', 200, InstitutionPageView, [400, 401, 403, 503])
  @Get()
  async list(@Query() query: ListQueryDto, @MinPosition() minPosition?: number) {
    await this.readModels.reached([INSTITUTION_READ_MODEL], minPosition);
    return this.institutions.list(query.limit ?? 50, query.cursor);
  }

  @ApiAnswers('Read a partner institution and its contacts', 200, InstitutionView, READ_PROBLEMS)
  @Get(':id')
  async detail(@Param('id', uuid('id')) id: string, @MinPosition() minPosition?: number) {
    await this.readModels.reached([INSTITUTION_READ_MODEL], minPosition);
    const institution = await this.institutions.get(id);
    if (!institution) throw new NotFoundException('No such institution');
    return institution;
  }
}

const now = () => new Date().toISOString();
const answer = (result: CommandResult) => ({ id: institutionIdOf(result.streamId), version: result.version, position: result.position });
