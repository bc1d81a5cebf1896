import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  buildMessage,
  IsIn,
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { CALL_STATUSES, type CallStatus } from '@passerelle/calls';
import { IsStorable, trim, upperEach } from '@passerelle/platform';
import { ListQueryDto } from '../common/list-query.dto';

/** A full date and time with its offset: 2030-05-10T09:00:00Z or 2030-05-10T09:00:00.250+07:00. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** More than zero, with at most two decimal places as JavaScript writes it (no exponent). */
const IsPositiveAmount = () =>
  ValidateBy({
    name: 'isPositiveAmount',
    validator: {
      validate: (value: unknown) => typeof value === 'number' && value > 0 && /^\d+(\.\d{1,2})?$/.test(String(value)),
      defaultMessage: buildMessage((each) => `${each}$property must be more than 0, with at most two decimal places`),
    },
  });

export class BudgetCeilingDto {
  @ApiProperty({ example: 500000, description: 'more than 0, at most two decimal places' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @IsPositiveAmount() @Max(1e12)
  amount: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217' })
  @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency: string;
}

export class OpenCallDto {
  @ApiProperty({ example: 'Digital health in rural districts, 2031' })
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
  title: string;

  @ApiProperty()
  @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(5000)
  summary: string;

  @ApiProperty({ example: ['healthcare'], description: 'the sectors a proposal may name (as proposals write them)' })
  @IsString({ each: true }) @IsStorable({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(60, { each: true }) @ArrayMinSize(1) @ArrayMaxSize(20)
  sectors: string[];

  @ApiProperty({ example: ['ZM', 'ID'], description: 'the countries a proposal may name (ISO 3166-1 alpha-2)' })
  @Transform(upperEach) @IsISO31661Alpha2({ each: true }) @ArrayMinSize(1) @ArrayMaxSize(250)
  countries: string[];

  @ApiProperty({ example: '2031-01-15T09:00:00Z', description: 'when it opens (a date and time with its offset); before closesAt' })
  @IsString() @Matches(DATE_TIME, { message: 'opensAt must be a date and time with its offset, such as 2031-01-15T09:00:00Z' }) @IsISO8601({ strict: true, strictSeparator: true })
  opensAt: string;

  @ApiProperty({ example: '2031-03-31T17:00:00Z', description: 'when it closes by itself: after opensAt, and in the future' })
  @IsString() @Matches(DATE_TIME, { message: 'closesAt must be a date and time with its offset, such as 2031-03-31T17:00:00Z' }) @IsISO8601({ strict: true, strictSeparator: true })
  closesAt: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the workshop the call follows; an unknown one is a 400 naming workshopId' })
  @IsOptional() @IsUUID()
  workshopId?: string;

  @ApiPropertyOptional({ type: BudgetCeilingDto, description: "the most a proposal's budget may be, in this currency" })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BudgetCeilingDto)
  budgetCeiling?: BudgetCeilingDto;
}

export class CloseCallDto {
  @ApiPropertyOptional({ description: 'why it closes before its time' })
  @IsOptional() @Transform(trim) @IsString() @IsStorable() @MaxLength(2000)
  reason?: string;
}

export class CallListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: CALL_STATUSES, description: 'a partner sees open calls only, whatever it asks' })
  @IsOptional() @IsIn(CALL_STATUSES)
  status?: CallStatus;
}
