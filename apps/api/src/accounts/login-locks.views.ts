import { ApiProperty } from '@nestjs/swagger';

export class LoginLockAccountView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
}

export class LoginLockView {
  @ApiProperty({ description: 'names the entry to DELETE: `<account hash>.<source hash>`, `any` for the side it does not name', example: '3f9c…a1.any' })
  id: string;

  @ApiProperty({
    enum: ['source-on-account', 'account', 'source'],
    description: 'source-on-account: one source refused for one account; account: every attempt for the account slowed; source: one source refused on every account',
  })
  scope: string;

  @ApiProperty({ enum: ['refused', 'slowed'], description: 'refused: 429 with Retry-After; slowed: each attempt waits up to LOGIN_DELAY_MAX_MS' })
  effect: string;

  @ApiProperty({ type: LoginLockAccountView, nullable: true, description: 'the account the e-mail tried belongs to; null for a source entry or an e-mail no account has' })
  account: LoginLockAccountView | null;

  @ApiProperty({ type: String, nullable: true, description: 'start of the keyed hash of the e-mail tried' })
  accountHash: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'start of the keyed hash of the source: addresses are never kept' })
  sourceHash: string | null;

  @ApiProperty({ description: 'failed logins counted in the window' }) failures: number;
  @ApiProperty({ format: 'date-time', description: 'when the window, and the entry, ends' }) until: string;
}

export class LoginLockPageView {
  @ApiProperty({ type: [LoginLockView] }) items: LoginLockView[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as ?cursor= for the next page; null on the last' }) nextCursor: string | null;
}
