import { Body, Controller, Get, HttpCode, HttpStatus, Ip, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccountClosure, AuthService, PasswordChange, type UserEntity, UsersService } from '@passerelle/accounts';
import { ApiAnswers, type AuthUser, type CommandContext, Context, CurrentUser, Public, Roles } from '@passerelle/platform';
import { EmptyBody } from '../common/empty-body.pipe';
import { uuid } from '../common/uuid.pipe';
import { ChangePasswordDto, ClosedAccountView, CreateStaffDto, LoginAnswerView, LoginDto, UserView } from './accounts.dto';

export function toUserView(user: UserEntity): UserView {
  return { id: user.id, email: user.email, fullName: user.fullName, role: user.role, institutionId: user.institutionId };
}

@ApiTags('accounts')
@Controller('api')
export class AccountsController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly passwords: PasswordChange,
    private readonly closure: AccountClosure,
  ) {}

  @ApiAnswers('Log in: an access token for the Authorization header', 200, LoginAnswerView, [400, 401, 429], {
    description:
      'A source that failed too often on an account (or on many accounts) gets 429 with Retry-After for a while; an account many sources failed on answers more slowly (a few seconds at most), but a source that has not failed on it is never refused for that.',
  })
  @Public()
  @Post('auth/login')
  @HttpCode(HttpStatus.OK)
  login(@Body() body: LoginDto, @Ip() address: string): Promise<LoginAnswerView> {
    return this.auth.login(body.email, body.password, address);
  }

  @ApiAnswers('Read the account logged in', 200, UserView, [401, 404])
  @Get('me')
  @ApiBearerAuth()
  async me(@CurrentUser() current: AuthUser): Promise<UserView> {
    const user = await this.users.findById(current.id);
    if (!user) throw new NotFoundException('This account no longer exists');
    return toUserView(user);
  }

  @ApiAnswers('Create a staff account (admins)', 201, UserView, [400, 401, 403, 409], { description: '409 when an account has the e-mail address.' })
  @Post('staff')
  @Roles('admin')
  @ApiBearerAuth()
  async createStaff(@Body() body: CreateStaffDto): Promise<UserView> {
    const user = await this.users.create({ email: body.email, fullName: body.fullName, password: body.password, role: 'staff' });
    return toUserView(user);
  }

  @ApiAnswers('Change the password of the account logged in', 200, LoginAnswerView, [400, 401, 429], {
    description:
      'Every access token issued to the account before stops working; the answer carries a fresh one. A wrong `currentPassword` is a 400 naming it, and counts as a failed login (429 after too many).',
  })
  @Post('me/password')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  changePassword(@CurrentUser() current: AuthUser, @Body() body: ChangePasswordDto, @Ip() address: string): Promise<LoginAnswerView> {
    return this.passwords.change(current.id, body.currentPassword, body.newPassword, address);
  }

  @ApiAnswers('Close an account (admins)', 200, ClosedAccountView, [400, 401, 403, 404, 409], {
    description:
      'The account can no longer log in and its access tokens stop working (within `ACCOUNT_CACHE_SECONDS` in every API process). 409 when the account is already closed, or is the admin\'s own.',
  })
  @Post('accounts/:id/close')
  @HttpCode(HttpStatus.OK)
  @Roles('admin')
  @ApiBearerAuth()
  async close(@Param('id', uuid('id')) id: string, @Body(EmptyBody) _body: undefined, @Context() context: CommandContext): Promise<ClosedAccountView> {
    const user = await this.closure.close(id, context);
    return { ...toUserView(user), closedAt: user.closedAt!.toISOString() };
  }
}
