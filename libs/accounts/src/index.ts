export { AccountsModule, LoginModule } from './accounts.module';
export { UserEntity } from './infrastructure/user.entity';
export { UsersService, type NewUser } from './infrastructure/users.service';
export { hashPassword } from './infrastructure/password';
export { assertPasswordAccepted, passwordWeakness, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './infrastructure/password-policy';
export { IsAcceptedPassword } from './infrastructure/accepted-password.decorator';
export { PartnerAccounts, type PartnerContact } from './infrastructure/partner-accounts';
export { ActivationTokens, ACTIVATION_VALID_HOURS } from './infrastructure/activation-tokens';
export { AuthService, type LoginAnswer } from './application/auth.service';
