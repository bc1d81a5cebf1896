import { Body, Controller, Get, HttpCode, HttpStatus, Ip, NotFoundException, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthService, type UserEntity, UsersService } from '@passerelle/accounts';
import { type AuthUser, CurrentUser, Public, Roles } from '@passerelle/platform';
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

  @Public()
  @Post('auth/login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LoginAnswerView })
  login(@Body() body: LoginDto, @Ip() address: string): Promise<LoginAnswerView> {
    return this.auth.login(body.email, body.password, address);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserView })
  async me(@CurrentUser() current: AuthUser): Promise<UserView> {
    const user = await this.users.findById(current.id);
    if (!user) throw new NotFoundException('This account no longer exists');
    return toUserView(user);
  }

  @Post('staff')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: UserView })
  async createStaff(@Body() body: CreateStaffDto): Promise<UserView> {
    const user = await this.users.create({ email: body.email, fullName: body.fullName, password: body.password, role: 'staff' });
    return toUserView(user);
  }
}
