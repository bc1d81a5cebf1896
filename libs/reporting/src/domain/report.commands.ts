import type { ReportFile, ReportRecipient } from './report.events';

export type ReportCommand =
  | { type: 'CompileReport'; workshopId: string; compiledAt: string; files: ReportFile[]; countries: string[] }
  | { type: 'RerenderReport'; workshopId: string; subjectId: string; at: string; files: ReportFile[] }
  | { type: 'QueueDelivery'; recipient: ReportRecipient; at: string }
  | { type: 'RecordDeliverySent'; recipient: ReportRecipient; messageId: string; at: string; languageSent: string }
  | { type: 'RecordDeliveryFailed'; recipient: ReportRecipient; reason: string; at: string };
