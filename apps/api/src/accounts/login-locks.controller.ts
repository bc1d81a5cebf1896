import { Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { LoginLocksService } from '@passerelle/accounts';
import { ApiAnswers, type CommandContext, Context, Roles } from '@passerelle/platform';
import { ListQueryDto } from '../common/list-query.dto';
import { LoginLockPageView, LoginLockView } from './login-locks.views';

/** The login throttle's entries in force: who is held back or slowed, for admins to see and clear. */
@ApiTags('accounts')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/admin/login-locks')
export class LoginLocksController {
  constructor(private readonly locks: LoginLocksService) {}

  @ApiAnswers('List the login throttle\'s entries in force, those ending first first (admins)', 200, LoginLockPageView, [400, 401, 403], {
    description: 'Sources refused for an account or for every account, and accounts whose logins are slowed. E-mails and addresses are kept only as keyed hashes: an account is named when the e-mail tried is one.',
  })
  @Get()
  list(@Query() query: ListQueryDto): Promise<LoginLockPageView> {
    return this.locks.list(query.limit ?? 50, query.cursor);
  }

  @ApiAnswers('Clear a login throttle entry (admins): the entry cleared', 200, LoginLockView, [400, 401, 403, 404], {
    description: 'A source cleared for an account may log in to it again at once: its failures there are forgotten, also in the account\'s and the source\'s counts. Each clearing is logged with the admin as actor.',
  })
  @Delete(':id')
  clear(@Param('id') id: string, @Context() context: CommandContext): Promise<LoginLockView> {
    return this.locks.clear(id, context);
  }
}
