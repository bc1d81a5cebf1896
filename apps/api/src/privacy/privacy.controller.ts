import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, Clock, type CommandContext, Context, Roles } from '@passerelle/platform';
import { UsersService } from '@passerelle/accounts';
import { PersonalDataVault, SubjectErasure } from '@passerelle/privacy';
import { ErasureView, EraseSubjectDto, SubjectLookupQueryDto, SubjectView } from './privacy.dto';

/**
 * Data subjects for admins acting on a person's request (API.md, "Personal data"): find a person by
 * address, and erase them. An erasure destroys their key (every personal field of theirs reads
 * `[erased]` from then on, everywhere), closes their account and removes their address from it, and is
 * recorded as `PersonalDataErased` on the subject's stream; e-mails already sent cannot be recalled,
 * and the answer says how many there were.
 */
@ApiTags('privacy')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/privacy/subjects')
export class PrivacyController {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly erasure: SubjectErasure,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  @ApiAnswers('Find the data subject of an e-mail address (admins)', 200, SubjectView, [400, 401, 403, 404], {
    description: '404 when no one has that address. The address is compared case-blind and never written to the request log.',
  })
  @Get()
  async find(@Query() query: SubjectLookupQueryDto): Promise<SubjectView> {
    let subject = await this.vault.findSubject(query.email);
    // A staff member or admin no event names (their account is all there is) becomes a subject when asked for.
    if (!subject && (await this.users.findByAddresses([query.email])).length > 0) subject = { subjectId: await this.vault.findOrCreateSubject(query.email), erased: false };
    if (!subject) throw new NotFoundException('No one has this address');
    return { subjectId: subject.subjectId, erased: subject.erased, ...(subject.erasedAt ? { erasedAt: subject.erasedAt.toISOString() } : {}) };
  }

  @ApiAnswers('Erase a data subject (admins)', 200, ErasureView, [400, 401, 403, 404, 409], {
    description:
      "Destroys the person's key: their names, addresses and the rest of their personal fields read `[erased]` from then on, in every process at once. Their partner or staff account is closed and its address removed. 409 `already-erased` when the person was erased before; 404 for an unknown subject (an id that is not a UUID included).",
  })
  @ApiParam({ name: 'subjectId', description: 'as `GET /api/privacy/subjects?email=` answers it' })
  @Post(':subjectId/erase')
  @HttpCode(HttpStatus.OK)
  async erase(@Param('subjectId') subjectId: string, @Body() body: EraseSubjectDto, @Context() context: CommandContext): Promise<ErasureView> {
    const outcome = await this.erasure.erase(subjectId, { reason: body.reason, basis: 'request', actor: context.actor, correlationId: context.correlationId, now: this.clock.now() });
    return { subjectId: outcome.subjectId, erasedAt: outcome.erasedAt, emailsAlreadySent: outcome.emailsAlreadySent };
  }
}
