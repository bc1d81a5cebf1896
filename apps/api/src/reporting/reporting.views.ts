import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What the ministry and report endpoints answer, for the OpenAPI document. */

export class MinistryView {
  @ApiProperty({ example: 'ZM' }) country: string;
  @ApiProperty() ministryName: string;
  @ApiProperty() email: string;
  @ApiProperty() language: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty() version: number;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'present when the contact was erased: `email` reads "[erased]"' }) personalDataErased?: true;
}

export class MinistryPageView {
  @ApiProperty({ type: [MinistryView] }) items: MinistryView[];
  @ApiProperty({ type: String, nullable: true, description: 'always null: one page holds every country' }) nextCursor: string | null;
}

export class MinistrySetView {
  @ApiProperty({ example: 'ZM', description: 'the country' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty() position: number;
}

export class ReportFileView {
  @ApiProperty({ enum: ['pdf', 'csv', 'proposals-csv'] }) kind: string;
  @ApiProperty() language: string;
  @ApiProperty({ example: '/api/workshops/0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60/report.pdf?language=en' }) url: string;
}

export class ReportDeliveryView {
  @ApiProperty() country: string;
  @ApiProperty() ministry: string;
  @ApiProperty() email: string;
  @ApiProperty({ description: "the language asked: the ministry contact's" }) language: string;
  @ApiPropertyOptional({ example: 'en', description: 'of a sent delivery: the language its e-mail and files were written in (English when the one asked had no texts)' })
  languageSent?: string;
  @ApiProperty({ enum: ['queued', 'sent', 'failed'] }) status: string;
  @ApiPropertyOptional() sentAt?: string;
  @ApiPropertyOptional({ description: 'why a delivery failed' }) reason?: string;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'present when the contact it went to was erased: `email` (and `reason`) read "[erased]"' }) personalDataErased?: true;
}

export class ReportView {
  @ApiProperty({ enum: ['pending', 'compiled', 'sent'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) compiledAt: string | null;
  @ApiProperty({ type: [ReportFileView] }) files: ReportFileView[];
  @ApiProperty({ type: [ReportDeliveryView] }) deliveries: ReportDeliveryView[];
}

export class DeliveriesResentView {
  @ApiProperty({ format: 'uuid', description: 'the workshop' }) id: string;
  @ApiProperty({ type: [String], description: 'the countries queued again' }) countries: string[];
  @ApiProperty() version: number;
  @ApiProperty() position: number;
}
