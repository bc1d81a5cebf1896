import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsEmailAddress, IsStorable, trim, upper, IsSupportedLanguage, LANGUAGES } from '@passerelle/platform';
import { isTimeZone, SESSION_KINDS, type SessionKind } from '@passerelle/workshops';
import { ListQueryDto } from '../common/list-query.dto';

/** A full date and time with its offset: 2025-10-23T09:00:00Z or 2025-10-23T09:00:00+08:00. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** An IANA time zone the runtime knows ("Asia/Shanghai"); offsets ("+08:00") and abbreviations ("EST") are refused. */
const IsIanaTimeZone = () =>
  ValidateBy({
    name: 'isIanaTimeZone',
    validator: { validate: (value) => isTimeZone(value), defaultMessage: () => '$property must be an IANA time zone such as Asia/Shanghai' },
  });

export class CreateWorkshopDto {
  @ApiProperty({ example: 'AI capacity building for public administrations' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'Shanghai Artificial Intelligence Research Institute' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  hostInstitution: string;

  @ApiProperty({ example: 'Shanghai' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(100)
  city: string;

  @ApiProperty({ example: 'CN', description: 'ISO 3166-1 alpha-2' })
  @Transform(upper) @IsISO31661Alpha2()
  country: string;

  @ApiProperty({ example: '2025-10-23' })
  @IsString() @Matches(DATE, { message: 'startsOn must be a date such as 2025-10-23' }) @IsISO8601({ strict: true })
  startsOn: string;

  @ApiProperty({ example: '2025-10-25' })
  @IsString() @Matches(DATE, { message: 'endsOn must be a date such as 2025-10-25' }) @IsISO8601({ strict: true })
  endsOn: string;

  @ApiProperty({ example: ['healthcare', 'education', 'green development'] })
  @IsString({ each: true }) @IsStorable({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(60, { each: true }) @ArrayMaxSize(20)
  themes: string[];

  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: "IANA time zone of the venue; default: the zone of the country's capital" })
  // Optional, but not nullable: a null is refused, as any other value that is not a zone.
  @ValidateIf((body: CreateWorkshopDto) => body.timeZone !== undefined) @IsString() @MaxLength(64) @IsIanaTimeZone()
  timeZone?: string;
}

export class AddSessionDto {
  @ApiProperty({ enum: SESSION_KINDS })
  @IsIn(SESSION_KINDS)
  kind: SessionKind;

  @ApiProperty({ example: 'Foundations of machine learning' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  title: string;

  @ApiProperty({ example: '2025-10-23T09:00:00Z' })
  @IsString() @Matches(DATE_TIME, { message: 'startsAt must be a date and time with its offset, such as 2025-10-23T09:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  startsAt: string;

  @ApiProperty({ example: '2025-10-23T12:00:00Z' })
  @IsString() @Matches(DATE_TIME, { message: 'endsAt must be a date and time with its offset, such as 2025-10-23T12:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  endsAt: string;

  @ApiPropertyOptional({ example: 'Main auditorium' })
  @IsOptional() @Transform(trim) @IsString() @IsStorable() @MaxLength(200)
  location?: string;
}

export class ParticipantDto {
  @ApiProperty({ example: 'Siti Rahma' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  fullName: string;

  @ApiProperty({ example: 'siti.rahma@kominfo.go.id' })
  @Transform(trim) @IsEmailAddress() @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'ID' })
  @Transform(upper) @IsISO31661Alpha2()
  country: string;

  @ApiProperty({ example: 'Ministry of Communication and Informatics' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  organization: string;

  @ApiPropertyOptional({ example: 'Director of digital policy' })
  @IsOptional() @Transform(trim) @IsString() @IsStorable() @MaxLength(200)
  position?: string;

  @ApiProperty({ example: 'en', enum: [...LANGUAGES], description: 'the language of their e-mails and pages' })
  @IsSupportedLanguage()
  language: string;
}

export class InviteParticipantsDto {
  @ApiProperty({ type: [ParticipantDto] })
  @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => ParticipantDto) @ArrayMinSize(1) @ArrayMaxSize(1000)
  participants: ParticipantDto[];
}

export class AttendanceDto {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsUUID('all', { each: true }) @ArrayMinSize(1) @ArrayMaxSize(1000)
  invitationIds: string[];
}

export class SolutionDto {
  @ApiProperty({ example: 'MedVision' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  company: string;

  @ApiProperty({ example: 'Early screening of diabetic retinopathy' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'healthcare' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(60)
  sector: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId: string;
}

export const INVITATION_STATUSES = ['issued', 'emailed', 'bounced', 'accepted', 'declined'] as const;

export class InvitationListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: INVITATION_STATUSES })
  @IsOptional() @IsIn(INVITATION_STATUSES)
  status?: (typeof INVITATION_STATUSES)[number];
}

export class RsvpDto {
  @ApiProperty({ enum: ['accept', 'decline'] })
  @IsIn(['accept', 'decline'])
  response: 'accept' | 'decline';
}
