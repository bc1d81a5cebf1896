/** A file of a compiled report: its content is stored beside the stream, its checksum (SHA-256, hex) here. */
export interface ReportFile {
  kind: 'pdf' | 'csv' | 'proposals-csv';
  language: string;
  checksum: string;
}

/** Who a country's report goes to, in which language. */
export interface ReportRecipient {
  country: string;
  ministry: string;
  email: string;
  language: string;
}

export type ReportEvent =
  | { type: 'ReportCompiled'; data: { workshopId: string; compiledAt: string; files: ReportFile[]; countries: string[] } }
  | { type: 'ReportDeliveryQueued'; data: ReportRecipient & { queuedAt: string } }
  /**
   * `languageSent` is the language the e-mail and its files were written in: the recipient's `language`
   * when it has texts, else English (absent from deliveries recorded before it was kept: then `language`).
   */
  | { type: 'ReportDeliverySent'; data: ReportRecipient & { sentAt: string; messageId: string; languageSent?: string } }
  | { type: 'ReportDeliveryFailed'; data: ReportRecipient & { failedAt: string; reason: string } }
  /**
   * The report's files rendered again after a participant's erasure (PersonalDataErased of `subjectId`):
   * their personal fields read "[erased]", everything else as compiled. `files` replace the compiled
   * checksums; deliveries already sent are not sent again.
   */
  | { type: 'ReportRerendered'; data: { workshopId: string; subjectId: string; rerenderedAt: string; files: ReportFile[] } };
