import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsEmailAddress, IsStorable, trim } from '@passerelle/platform';

/** `GET /api/privacy/subjects?email=`: the address of the person looked up (compared case-blind). */
export class SubjectLookupQueryDto {
  @ApiProperty({ example: 'siti.rahmawati@kominfo.go.id', description: 'never written to the request log' })
  @Transform(trim)
  @IsEmailAddress()
  @MaxLength(254)
  email: string;
}

/** Why the person is erased: kept in the `PersonalDataErased` event, so it must name no one. */
export class EraseSubjectDto {
  @ApiProperty({ example: 'Request of the person under LGPD art. 18, ticket DPO-2031', maxLength: 500, description: 'recorded with the erasure: name no one in it' })
  @Transform(trim)
  @IsString()
  @IsStorable()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class SubjectView {
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty() erased: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'when the person was erased (only if erased)' }) erasedAt?: string;
}

export class ErasureView {
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty({ format: 'date-time' }) erasedAt: string;
  @ApiProperty({ description: 'e-mails already sent to the person: they cannot be recalled' }) emailsAlreadySent: number;
}
