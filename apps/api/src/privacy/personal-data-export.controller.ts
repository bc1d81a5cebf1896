import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UsersService } from '@passerelle/accounts';
import { INVITATION_READ_MODEL } from '@passerelle/invitations';
import { INSTITUTION_READ_MODEL } from '@passerelle/partners';
import { PersonalDataExporter } from '@passerelle/personal-data';
import { ApiAnswers, type AuthUser, CurrentUser, MinPosition, ReadModels, Roles } from '@passerelle/platform';
import { PROPOSAL_READ_MODEL } from '@passerelle/proposals';
import { MINISTRY_READ_MODEL } from '@passerelle/reporting';
import { WORKSHOP_READ_MODEL } from '@passerelle/workshops';
import { uuid } from '../common/uuid.pipe';
import { PersonalDataExportView } from './personal-data-export.views';

/** The read models an export reads, which `X-Min-Position` waits for. */
const EXPORT_READ_MODELS = [INVITATION_READ_MODEL, INSTITUTION_READ_MODEL, MINISTRY_READ_MODEL, PROPOSAL_READ_MODEL, WORKSHOP_READ_MODEL];

const EXPORT_DESCRIPTION =
  "Every event that names the person (their own personal fields decrypted, everyone else's left out), the read models' rows about them and the e-mails sent to them. An erased person's fields read \"[erased]\".";

/** Access requests (issue 20): a data subject's personal data, for an admin acting on their request, or for a partner contact themselves. */
@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api')
export class PersonalDataExportController {
  constructor(
    private readonly exporter: PersonalDataExporter,
    private readonly users: UsersService,
    private readonly readModels: ReadModels,
  ) {}

  @ApiAnswers('Export everything held about a data subject (admins)', 200, PersonalDataExportView, [400, 401, 403, 404, 503], { description: EXPORT_DESCRIPTION })
  @Roles('admin')
  @Get('privacy/subjects/:subjectId/export')
  async export(@Param('subjectId', uuid('subjectId')) subjectId: string, @MinPosition() minPosition?: number) {
    await this.readModels.reached(EXPORT_READ_MODELS, minPosition);
    const found = await this.exporter.forSubject(subjectId);
    if (!found) throw new NotFoundException('No data subject has this id');
    return found;
  }

  @ApiAnswers('Export everything held about the partner contact logged in', 200, PersonalDataExportView, [400, 401, 403, 404, 503], {
    description: `${EXPORT_DESCRIPTION} The same export an admin gets for the subject of the account's address; with no such subject (no event ever named it), \`subjectId\` is null and the export holds the account.`,
  })
  @Roles('partner')
  @Get('me/personal-data')
  async mine(@CurrentUser() current: AuthUser, @MinPosition() minPosition?: number) {
    await this.readModels.reached(EXPORT_READ_MODELS, minPosition);
    const user = await this.users.findById(current.id);
    if (!user) throw new NotFoundException('This account no longer exists');
    return this.exporter.forAccount({ id: user.id, email: user.email });
  }
}
