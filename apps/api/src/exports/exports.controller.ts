import { PassThrough } from 'node:stream';
import { applyDecorators, Controller, Get, Logger, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO31661Alpha2, IsOptional, IsString, IsUUID } from 'class-validator';
import type { FastifyReply as Response } from 'fastify';
import { ApiProblems, IsLanguageTag, Roles, upper } from '@passerelle/platform';
import { uuid } from '../common/uuid.pipe';
import { ExportQueries } from './exports.queries';
import { EXPORT_LANGUAGES, exportTexts } from './exports.texts';
import { writeParticipantsWorkbook, writePartnershipsWorkbook, writeProposalsWorkbook } from './exports.workbooks';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class ParticipantsExportQueryDto {
  @ApiPropertyOptional({ example: 'ZM', description: 'only the participants of this country (ISO 3166-1 alpha-2)' })
  @IsOptional() @Transform(upper) @IsISO31661Alpha2({ message: '$property must be an ISO 3166-1 alpha-2 code such as ZM' })
  country?: string;

  @ApiPropertyOptional({
    example: 'fr',
    description: `the language of the headers, sheet names and statuses (${EXPORT_LANGUAGES.join(', ')}); English by default and for a language without texts, which Content-Language and the file name say`,
  })
  @IsOptional() @IsString() @IsLanguageTag()
  language?: string;
}

export class ExportQueryDto extends ParticipantsExportQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'only the proposals to this call for proposals (partnerships: whose proposal answers it)',
  })
  @IsOptional() @IsUUID('all', { message: '$property must be a UUID' })
  callId?: string;
}

/** A workbook: its bytes as an attachment. */
const ApiWorkbookAnswer = (summary: string, problems: (400 | 401 | 403 | 404)[]) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiResponse({ status: 200, description: 'the workbook (XLSX), as an attachment', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } }),
    ApiProblems(...problems),
  );

/**
 * Staff's workbooks (XLSX) of the proposals, the partnerships and a workshop's participants, built from
 * the read models as they are sent: the first row holds the headers, frozen, with filters on; dates are
 * dates and amounts numbers. A workshop's times are its venue's local time, the others UTC, the zone
 * named in each header.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Roles('staff', 'admin')
@Controller('api')
export class ExportsController {
  private readonly logger = new Logger(ExportsController.name);

  constructor(private readonly exports: ExportQueries) {}

  @ApiWorkbookAnswer('Download the proposals as a workbook: call, status, reviews, approvals, sectors, countries, budget', [400, 401, 403])
  @Get('exports/proposals.xlsx')
  async proposals(@Query() query: ExportQueryDto, @Res() response: Response): Promise<void> {
    const language = writtenIn(query.language);
    const rows = await started(this.exports.proposals({ country: query.country, callId: query.callId }));
    this.send(response, fileName('proposals', language, query.country), language, (output) => writeProposalsWorkbook(whileOpen(rows, output), language, output));
  }

  @ApiWorkbookAnswer('Download the partnerships as a workbook: institution, proposal, status, establishment date, term', [400, 401, 403])
  @Get('exports/partnerships.xlsx')
  async partnerships(@Query() query: ExportQueryDto, @Res() response: Response): Promise<void> {
    const language = writtenIn(query.language);
    const rows = await started(this.exports.partnerships({ country: query.country, callId: query.callId }));
    this.send(response, fileName('partnerships', language, query.country), language, (output) => writePartnershipsWorkbook(whileOpen(rows, output), language, output));
  }

  @ApiWorkbookAnswer("Download a workshop's participants as a workbook: a summary sheet, the programme and a sheet per country, times in the venue's zone", [400, 401, 403, 404])
  @Get('workshops/:id/participants.xlsx')
  async participants(@Param('id', uuid('id')) id: string, @Query() query: ParticipantsExportQueryDto, @Res() response: Response): Promise<void> {
    const participants = await this.exports.participants(id, query.country);
    if (!participants) throw new NotFoundException('No such workshop');
    const language = writtenIn(query.language);
    this.send(response, fileName(`participants-${id}`, language, query.country), language, (output) => writeParticipantsWorkbook(participants, language, output));
  }

  /** Sends the workbook as `write` builds it, in `language` (its Content-Language); a failure once bytes are sent can only cut the download short. */
  private send(response: Response, name: string, language: string, write: (output: PassThrough) => Promise<void>): void {
    const output = new PassThrough();
    response.status(200).header('Content-Type', XLSX).header('Content-Language', language).header('Content-Disposition', `attachment; filename="${name}"`).header('Cache-Control', 'no-store').send(output);
    write(output).catch((error: Error) => {
      if (output.destroyed) return; // the download was cancelled: the rows stopped being read
      this.logger.error(`Export ${name} failed: ${error.message}`);
      output.destroy(error);
    });
  }
}

/**
 * Rows whose first batch is read: a database that fails does so before the answer's status is sent (a
 * problem, not a cut-off 200).
 */
async function started<T>(rows: AsyncGenerator<T>): Promise<AsyncGenerator<T>> {
  const first = await rows.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* rows;
  })();
}

/** Rows until the download is cancelled: then the reading stops, and its connection goes back to the pool. */
async function* whileOpen<T>(rows: AsyncGenerator<T>, output: PassThrough): AsyncGenerator<T> {
  for await (const row of rows) {
    if (output.destroyed) return;
    yield row;
  }
}

/** The language a workbook asked in `requested` is written in: that one if it has texts, else English. */
function writtenIn(requested: string | undefined): string {
  return exportTexts(requested ?? 'en').language;
}

/** "proposals-2026-12-06-en.xlsx", "proposals-ZM-2026-12-06-fr.xlsx". */
function fileName(what: string, language: string, country?: string): string {
  return `${what}${country ? `-${country}` : ''}-${new Date().toISOString().slice(0, 10)}-${language}.xlsx`;
}
