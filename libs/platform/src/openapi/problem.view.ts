import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One field a 400 names: a dotted path into the body (`participants.3.email`), or a header or parameter. */
export class FieldErrorView {
  @ApiProperty({ example: 'title' }) field: string;
  @ApiProperty({ example: 'title is required' }) message: string;
}

/** Every error's body (RFC 9457), as application/problem+json. */
export class ProblemView {
  @ApiProperty({ example: 'https://passerelle.local/problems/validation-error' }) type: string;
  @ApiProperty({ example: 'Invalid request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'Check these fields: title' }) detail: string;
  @ApiPropertyOptional({ type: [FieldErrorView], description: 'for a 400: the fields at fault' }) errors?: FieldErrorView[];
  @ApiPropertyOptional({ example: 'conflict_undeclared', description: 'for a refusal of the domain (409, and 404 of a resource that does not exist): its code' }) code?: string;
}

/** What a write answers (API.md), with the headers ETag: "<version>" and X-Position: <position>. */
export class WriteAnswerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 3 }) version: number;
  @ApiProperty({ example: 1234 }) position: number;
}
