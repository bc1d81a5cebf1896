import { Body, Controller, Get, HttpCode, HttpStatus, Ip, NotFoundException, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthService, type UserEntity, UsersService } from '@passerelle/accounts';
import { ApiAnswers, type AuthUser, CurrentUser, Public, Roles } from '@passerelle/platform';
import { CreateStaffDto, LoginAnswerView, LoginDto, UserView } from './accounts.dto';

export function toUserView(user: UserEntity): UserView {
  return { id: user.id, email: user.email, fullName: user.fullName, role: user.role, institutionId: user.institutionId };
}

@ApiTags('accounts')
@Controller('api')
export class AccountsController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
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
}
