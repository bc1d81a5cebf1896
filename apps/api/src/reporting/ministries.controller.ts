import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength, isISO31661Alpha2 } from 'class-validator';
import type { CommandOptions, CommandResult } from '@passerelle/event-store-core';
import { ApiAnswers, IsEmailAddress, IsStorable, MinPosition, ReadModels, Roles, ValidationProblem, WriteOptions, trim, IsSupportedLanguage, LANGUAGES } from '@passerelle/platform';
import { MINISTRY_READ_MODEL, MinistryQueries, SetMinistryContact } from '@passerelle/reporting';
import { ListQueryDto } from '../common/list-query.dto';
import { MinistryPageView, MinistrySetView } from './reporting.views';


export class MinistryDto {
  @ApiProperty({ example: 'Ministry of Technology and Science' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  ministryName: string;

  @ApiProperty({ example: 'ict@mots.gov.zm' })
  @Transform(trim) @IsEmailAddress() @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'en', enum: [...LANGUAGES], description: 'the language of their e-mails and pages' })
  @IsSupportedLanguage()
  language: string;
}

/** One ministry contact per country: it receives the country's post-workshop reports. */
@ApiTags('ministries')
@ApiBearerAuth()
@Roles('staff', 'admin')
@Controller('api/ministries')
export class MinistriesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly ministries: MinistryQueries,
    private readonly readModels: ReadModels,
  ) {}

  @ApiAnswers("Set a country's ministry contact, which receives its reports", 200, MinistrySetView, [400, 401, 403, 409, 412, 422], { write: true })
  @Put(':country')
  async set(@Param('country') country: string, @Body() body: MinistryDto, @WriteOptions() options: CommandOptions) {
    const code = country.toUpperCase();
    if (!isISO31661Alpha2(code)) throw new ValidationProblem([{ field: 'country', message: 'must be an ISO 3166-1 alpha-2 code such as ZM' }]);
    const result: CommandResult = await this.commands.execute(new SetMinistryContact({ country: code, ...body }, options));
    return { id: code, version: result.version, position: result.position };
  }

  @ApiAnswers('List the ministry contacts by country', 200, MinistryPageView, [400, 401, 403, 503])
  @Get()
  async list(@Query() query: ListQueryDto, @MinPosition() minPosition?: number) {
    await this.readModels.reached([MINISTRY_READ_MODEL], minPosition);
    return this.ministries.list(query.cursor);
  }
}
