import { applyDecorators, Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { FastifyReply as Response } from 'fastify';
import type { CommandOptions } from '@passerelle/event-store-core';
import { ApiAnswers, ApiProblems, IsLanguageTag, MinPosition, READ_PROBLEMS, ReadModels, Roles, WRITE_PROBLEMS, WriteOptions } from '@passerelle/platform';
import { ReportQueries, reportTexts, ResendReportDeliveries, type ResendResult } from '@passerelle/reporting';
import { WORKSHOP_READ_MODEL, WorkshopQueries } from '@passerelle/workshops';
import { EmptyBody } from '../common/empty-body.pipe';
import { uuid } from '../common/uuid.pipe';
import { DeliveriesResentView, ReportView } from './reporting.views';

export class ReportFileQueryDto {
  @ApiPropertyOptional({
    example: 'fr',
    description: 'the language of the file; English by default and for a language without texts, which Content-Language and the file name say',
  })
  @IsOptional() @IsString() @IsLanguageTag()
  language?: string;

  @ApiPropertyOptional({ enum: ['participants', 'proposals'], description: 'for report.csv: the participants (default) or the proposals' })
  @IsOptional() @IsIn(['participants', 'proposals'])
  file?: 'participants' | 'proposals';
}

/** A report file: its bytes as an attachment, or a 404 until it is compiled in that language. */
const ApiFileAnswer = (summary: string, contentType: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiResponse({ status: 200, description: 'the file, as an attachment', content: { [contentType]: { schema: { type: 'string', format: 'binary' } } } }),
    ApiProblems(400, 401, 403, 404),
  );

/** A workshop's report: compiled by the worker once the workshop is concluded, then sent to the ministries. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('staff', 'admin')
@Controller('api/workshops')
export class ReportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reports: ReportQueries,
    private readonly workshops: WorkshopQueries,
    private readonly readModels: ReadModels,
  ) {}

  @ApiAnswers("Read a workshop's report: its status, files and deliveries to ministries", 200, ReportView, READ_PROBLEMS)
  @Get(':id/report')
  async report(@Param('id', uuid('id')) id: string, @MinPosition() minPosition?: number) {
    await this.exists(id, minPosition);
    return this.reports.view(id);
  }

  @ApiFileAnswer('Download the report as PDF', 'application/pdf')
  @Get(':id/report.pdf')
  async pdf(@Param('id', uuid('id')) id: string, @Query() query: ReportFileQueryDto, @Res() response: Response) {
    await this.serve(id, 'pdf', query.language ?? 'en', response);
  }

  @ApiFileAnswer('Download the participants (or, with ?file=proposals, the proposals) as CSV', 'text/csv')
  @Get(':id/report.csv')
  async csv(@Param('id', uuid('id')) id: string, @Query() query: ReportFileQueryDto, @Res() response: Response) {
    await this.serve(id, query.file === 'proposals' ? 'proposals-csv' : 'csv', query.language ?? 'en', response);
  }

  @ApiAnswers('Queue again the failed deliveries of countries that now have a ministry contact', 200, DeliveriesResentView, WRITE_PROBLEMS, { write: true })
  @Post(':id/report/deliveries/resend')
  @HttpCode(HttpStatus.OK)
  async resend(@Param('id', uuid('id')) id: string, @Body(EmptyBody) _body: undefined, @WriteOptions() options: CommandOptions) {
    await this.exists(id);
    const { replayed: _replayed, ...result }: ResendResult = await this.commands.execute(new ResendReportDeliveries(id, options));
    return { id, ...result };
  }

  private async exists(id: string, minPosition?: number): Promise<void> {
    await this.readModels.reached([WORKSHOP_READ_MODEL], minPosition);
    if (!(await this.workshops.get(id))) throw new NotFoundException('No such workshop');
  }

  /** The file in `requested`, or in English when that language has no texts: Content-Language and the name say which. */
  private async serve(id: string, kind: string, requested: string, response: Response): Promise<void> {
    const language = reportTexts(requested).language;
    const file = await this.reports.file(id, kind, language);
    if (!file) throw new NotFoundException(`No ${kind === 'pdf' ? 'PDF' : 'CSV'} report in ${language} for this workshop (yet)`);
    const name = `report-${id}-${kind === 'proposals-csv' ? 'proposals-' : ''}${language}.${kind === 'pdf' ? 'pdf' : 'csv'}`;
    response
      .status(200)
      .header('Content-Type', file.contentType)
      .header('Content-Language', language)
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('ETag', `"${file.checksum}"`)
      .send(file.content);
  }
}
