import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  buildMessage,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsEmailAddress, IsStorable, trim, upper, upperEach, IsSupportedLanguage, LANGUAGES } from '@passerelle/platform';
import { CONFLICT_REASON_MAX_LENGTH, RECOMMENDATIONS, type Recommendation } from '@passerelle/proposals';
import { isCalendarDate } from '@passerelle/partnerships';
import { IsAcceptedPassword } from '@passerelle/accounts';
import { ListQueryDto } from '../common/list-query.dto';


/**
 * A number with at most two decimal places, as JavaScript writes it. IsNumber's own maxDecimalPlaces
 * throws (a 500) on a number written with an exponent and no point, such as 1e-7 or 5e-324.
 */
const HasAtMostTwoDecimals = () =>
  ValidateBy({
    name: 'hasAtMostTwoDecimals',
    validator: {
      validate: (value: unknown) => typeof value !== 'number' || /^-?\d+(\.\d{1,2})?$/.test(String(value)),
      defaultMessage: buildMessage((each) => `${each}$property must have at most two decimal places`),
    },
  });

export class ContactDto {
  @ApiProperty({ example: 'Dr. Lindiwe Banda' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  fullName: string;

  @ApiProperty({ example: 'l.banda@unza.zm' })
  @Transform(trim) @IsEmailAddress() @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'en', enum: [...LANGUAGES], description: 'the language of their e-mails and pages' })
  @IsSupportedLanguage()
  language: string;
}

export class RegisterInstitutionDto {
  @ApiProperty({ example: 'University of Zambia' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'ZM' })
  @Transform(upper) @IsISO31661Alpha2()
  country: string;

  @ApiPropertyOptional({ example: 'https://www.unza.zm' })
  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_protocol: true }) @IsStorable() @MaxLength(500)
  website?: string;

  @ApiProperty({ type: ContactDto })
  @IsObject() @ValidateNested() @Type(() => ContactDto)
  contact: ContactDto;
}

export class BudgetDto {
  @ApiProperty({ example: 250000 })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @HasAtMostTwoDecimals() @Min(0) @Max(1e12)
  amount: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217' })
  @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency: string;
}

export class CreateProposalDto {
  @ApiProperty({ example: 'AI-assisted screening in rural clinics' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  title: string;

  @ApiProperty()
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(5000)
  summary: string;

  @ApiProperty({ example: ['healthcare'] })
  @IsString({ each: true }) @IsStorable({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(60, { each: true }) @ArrayMinSize(1) @ArrayMaxSize(20)
  sectors: string[];

  @ApiProperty({ example: ['ZM', 'ID'] })
  @Transform(upperEach) @IsISO31661Alpha2({ each: true }) @ArrayMinSize(1) @ArrayMaxSize(250)
  countries: string[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  workshopId?: string;

  @ApiProperty({ example: 24, minimum: 1, maximum: 120 })
  @IsInt() @Min(1) @Max(120)
  durationMonths: number;

  @ApiPropertyOptional({ type: BudgetDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BudgetDto)
  budget?: BudgetDto;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'the call for proposals it answers: an unknown call is a 400 naming callId; a call that is not open a 409 `call_closed`; sectors, countries or a budget outside its terms a 409 `call_ineligible` naming the fields',
  })
  @IsOptional() @IsUUID()
  callId?: string;
}

/** Any of the fields, each one left out or valid: null only clears what may be absent (workshopId, budget). */
export class EditProposalDto extends PartialType(CreateProposalDto, { skipNullProperties: false }) {}

export class ReasonDto {
  @ApiPropertyOptional()
  @IsOptional() @Transform(trim) @IsString() @IsStorable() @MaxLength(2000)
  reason?: string;
}

export class RequiredReasonDto {
  @ApiProperty()
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(2000)
  reason: string;
}

export class CommentDto {
  @ApiProperty()
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(5000)
  comment: string;
}

export class ReviewDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt() @Min(1) @Max(5)
  score: number;

  @ApiProperty({ enum: RECOMMENDATIONS })
  @IsIn(RECOMMENDATIONS)
  recommendation: Recommendation;

  @ApiProperty()
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(5000)
  comment: string;
}

/** A staff member's declaration on their conflicts of interest with a proposal: a reason always with a conflict, optionally without. */
export class ConflictDeclarationDto {
  @ApiProperty({ description: 'true when the staff member has a conflict of interest with the proposal (they then take no part in its decision)' })
  @IsBoolean()
  conflict: boolean;

  @ApiPropertyOptional({ maxLength: CONFLICT_REASON_MAX_LENGTH, description: 'required when `conflict` is true: the relationship, in a few words (not private details); null in the detail when absent' })
  @ValidateIf((dto: ConflictDeclarationDto) => dto.conflict === true || dto.reason !== undefined)
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(CONFLICT_REASON_MAX_LENGTH)
  reason?: string;
}

export const PROPOSAL_STATUSES = ['draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn'] as const;

export class ProposalListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES })
  @IsOptional() @IsIn(PROPOSAL_STATUSES)
  status?: (typeof PROPOSAL_STATUSES)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'only the proposals to this call' })
  @IsOptional() @IsUUID()
  callId?: string;
}

export class ActivateDto {
  @ApiProperty()
  @IsString() @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the token from the activation link' })
  token: string;

  @ApiProperty({ minLength: 12, maxLength: 1024, description: 'At least 12 characters; not a common password, one character repeated or only spaces' })
  @IsString() @IsAcceptedPassword()
  password: string;
}

/** A real calendar date written `YYYY-MM-DD` (2031-02-30 is not one). */
const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => isCalendarDate(value),
      defaultMessage: buildMessage((each) => `${each}$property must be a date written YYYY-MM-DD`),
    },
  });

export class RenewPartnershipDto {
  @ApiProperty({ example: '2031-06-30', description: 'The new end date, after the current one: from that day (UTC) the partnership reads expired' })
  @IsCalendarDate()
  endsOn: string;
}

/** At least one of the two dates; the term must start before it ends. */
export class PartnershipTermDto {
  @ApiPropertyOptional({ example: '2029-01-15', description: 'The first day of the term' })
  @ValidateIf((term: PartnershipTermDto) => term.startsOn !== undefined || term.endsOn === undefined)
  @IsCalendarDate()
  startsOn?: string;

  @ApiPropertyOptional({ example: '2031-06-30', description: 'The end date: from that day (UTC) the partnership reads expired' })
  @ValidateIf((term: PartnershipTermDto) => term.endsOn !== undefined)
  @IsCalendarDate()
  endsOn?: string;
}
