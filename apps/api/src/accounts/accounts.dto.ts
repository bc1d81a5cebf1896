import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsAcceptedPassword } from '@passerelle/accounts';
import { IsEmailAddress, IsStorable, trim } from '@passerelle/platform';


export class LoginDto {
  @ApiProperty({ example: 'admin@passerelle.local' })
  @IsEmailAddress()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;
}

export class CreateStaffDto {
  @ApiProperty({ example: 'amina.diallo@institute.example' })
  @Transform(trim)
  @IsEmailAddress()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Amina Diallo' })
  @Transform(trim)
  @IsString()
  @IsStorable()
  @IsNotEmpty()
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ minLength: 12, maxLength: 1024, description: 'At least 12 characters; not a common password, one character repeated or only spaces' })
  @IsString()
  @IsAcceptedPassword()
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty({ minLength: 12, maxLength: 1024, description: 'At least 12 characters; not a common password, one character repeated or only spaces' })
  @IsString()
  @IsAcceptedPassword()
  newPassword: string;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: ['admin', 'staff', 'partner'] }) role: string;
  @ApiPropertyOptional({ nullable: true }) institutionId: string | null;
}

export class ClosedAccountView extends UserView {
  @ApiProperty({ format: 'date-time' }) closedAt: string;
}

export class LoginUserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['admin', 'staff', 'partner'] }) role: string;
  @ApiPropertyOptional() institutionId?: string;
}

export class LoginAnswerView {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: LoginUserView }) user: LoginUserView;
}
