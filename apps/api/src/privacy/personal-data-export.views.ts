import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What an access request answers (API.md, "Personal data"), for the OpenAPI document. */

const ERASED_MARK = { type: Boolean, enum: [true], description: 'present when a personal field of this item reads "[erased]"' };

export class ExportedEventView {
  @ApiProperty({ example: 'invitation-0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60' }) streamId: string;
  @ApiProperty({ example: 'InvitationIssued' }) type: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the event's data: the subject's own personal fields decrypted, everyone else's left out" })
  data: Record<string, unknown>;
  @ApiPropertyOptional(ERASED_MARK) personalDataErased?: true;
}

export class InvitationRecordView {
  @ApiProperty() id: string;
  @ApiProperty() workshopId: string;
  @ApiProperty({ type: String, nullable: true }) workshopTitle: string | null;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty() country: string;
  @ApiProperty() organization: string;
  @ApiProperty({ type: String, nullable: true }) position: string | null;
  @ApiProperty() language: string;
  @ApiProperty({ enum: ['issued', 'emailed', 'bounced', 'accepted', 'declined'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) issuedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) emailedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) respondedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) remindedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) bounceReason: string | null;
  @ApiProperty({ type: [String], description: 'the sessions attended' }) attendedSessions: string[];
  @ApiPropertyOptional(ERASED_MARK) personalDataErased?: true;
}

export class ContactRecordView {
  @ApiProperty() institutionId: string;
  @ApiProperty() institutionName: string;
  @ApiProperty() institutionCountry: string;
  @ApiProperty({ description: 'the account of the contact' }) userId: string;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty() language: string;
  @ApiPropertyOptional(ERASED_MARK) personalDataErased?: true;
}

export class AccountRecordView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: ['admin', 'staff', 'partner'] }) role: string;
  @ApiProperty({ type: String, nullable: true }) institutionId: string | null;
  @ApiProperty({ type: String, nullable: true }) createdAt: string | null;
  @ApiProperty({ type: String, nullable: true }) closedAt: string | null;
  @ApiPropertyOptional(ERASED_MARK) personalDataErased?: true;
}

export class MinistryContactRecordView {
  @ApiProperty({ example: 'ZM' }) country: string;
  @ApiProperty() ministryName: string;
  @ApiProperty() email: string;
  @ApiProperty() language: string;
  @ApiProperty({ type: String, nullable: true }) updatedAt: string | null;
  @ApiPropertyOptional(ERASED_MARK) personalDataErased?: true;
}

export class ExportBudgetView {
  @ApiProperty() amount: number;
  @ApiProperty({ example: 'EUR' }) currency: string;
}

export class AuthoredProposalRecordView {
  @ApiProperty() id: string;
  @ApiProperty() institutionId: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [String] }) sectors: string[];
  @ApiProperty({ type: [String] }) countries: string[];
  @ApiProperty({ type: String, nullable: true }) workshopId: string | null;
  @ApiProperty() durationMonths: number;
  @ApiProperty({ type: ExportBudgetView, nullable: true }) budget: ExportBudgetView | null;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, nullable: true }) createdAt: string | null;
  @ApiProperty({ type: String, nullable: true }) updatedAt: string | null;
  @ApiProperty({ enum: ['author'], description: "how it was found: its first event names the subject's account as author" }) foundBy: 'author';
}

export class ExportedRecordsView {
  @ApiProperty({ type: [InvitationRecordView] }) invitations: InvitationRecordView[];
  @ApiProperty({ type: [ContactRecordView], description: "the subject's own entries as a partner institution's contact" }) contacts: ContactRecordView[];
  @ApiProperty({ type: [AccountRecordView], description: 'never the password hash' }) accounts: AccountRecordView[];
  @ApiProperty({ type: [MinistryContactRecordView], description: "the countries whose ministry contact is the subject's address" }) ministryContacts: MinistryContactRecordView[];
  @ApiProperty({ type: [AuthoredProposalRecordView] }) proposalsAuthored: AuthoredProposalRecordView[];
}

export class ExportedEmailView {
  @ApiProperty({ example: 'invitation', description: 'invitation, invitation-reminder, partnership-ending, partnership-ending-staff, report, account-activation or proposal-decision' }) kind: string;
  @ApiProperty({ description: "the subject line when the mail ledger keeps it; else the kind" }) subject: string;
  @ApiProperty({ type: String, nullable: true, description: 'when it was handed to the mail server; null when it was not' }) sentAt: string | null;
  @ApiProperty({ enum: ['sent', 'rejected', 'uncertain', 'sending'] }) status: string;
}

export class PersonalDataExportView {
  @ApiProperty({ type: String, nullable: true, description: 'null only for a partner whose address no event ever named' }) subjectId: string | null;
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: [ExportedEventView], description: 'every event that names the subject, oldest first' }) events: ExportedEventView[];
  @ApiProperty({ type: ExportedRecordsView }) records: ExportedRecordsView;
  @ApiProperty({ type: [ExportedEmailView], description: 'the e-mails sent to the subject (e-mails already sent cannot be recalled)' }) emails: ExportedEmailView[];
}
