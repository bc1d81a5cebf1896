import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Who did what, under which request. */
export class AuditMetadataView {
  @ApiProperty({ type: String, nullable: true, description: 'the account that acted' }) actor: string | null;
  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;
  @ApiProperty({ type: String, nullable: true }) causationId: string | null;
}

/** One event of a stream, as the audit answers it. */
export class AuditEventView {
  @ApiProperty({ example: 'WorkshopPlanned' }) type: string;
  @ApiProperty() version: number;
  @ApiProperty() position: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ type: AuditMetadataView }) metadata: AuditMetadataView;
  @ApiProperty() recordedAt: string;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'present when a person it names was erased: their fields read "[erased]"' }) personalDataErased?: true;
}
