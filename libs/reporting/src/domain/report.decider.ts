import { type Decider, DomainError, type NotStarted, refuse, streamKind } from '@passerelle/event-store-core';
import type { ReportCommand } from './report.commands';
import type { ReportEvent, ReportFile, ReportRecipient } from './report.events';

/** A country's delivery: queued, sent (when, and in which language), or failed (and why). */
export type ReportDelivery = ReportRecipient &
  ({ status: 'queued' } | { status: 'sent'; sentAt: string; languageSent: string } | { status: 'failed'; reason: string });

export type DeliveryStatus = ReportDelivery['status'];

export interface CompiledReport {
  status: 'compiled';
  workshopId: string;
  compiledAt: string;
  files: ReportFile[];
  countries: string[];
  /** By country. */
  deliveries: Record<string, ReportDelivery>;
  /** The erased subjects the files were rendered again without, in order (present once the first is). */
  rerenderedFor?: string[];
}

export type ReportState = NotStarted | CompiledReport;

/** Nothing is delivered before the report is compiled. */
export function reportNotCompiled(): DomainError {
  return new DomainError('The report is not compiled yet', 'report_not_compiled');
}

/**
 * A workshop's report (stream `report-<workshopId>`): compiled once, its files fixed then; then one
 * delivery per participating country, queued, sent or failed. A sent delivery is never sent again; a
 * failed one may be queued again (a resend once the country has a contact). After a participant's
 * erasure its files are rendered again once per erased subject, their new checksums replacing the
 * compiled ones; nothing is rendered again for a report not yet compiled (it is compiled without them).
 */
export const reportDecider: Decider<ReportCommand, ReportState, ReportEvent> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    if (command.type === 'CompileReport') {
      if (state.status === 'compiled') return [];
      const { workshopId, compiledAt, files, countries } = command;
      return [{ type: 'ReportCompiled', data: { workshopId, compiledAt, files, countries } }];
    }
    if (state.status === 'none') throw reportNotCompiled();
    if (command.type === 'RerenderReport') {
      const { workshopId, subjectId, at, files } = command;
      if (state.rerenderedFor?.includes(subjectId)) return [];
      return [{ type: 'ReportRerendered', data: { workshopId, subjectId, rerenderedAt: at, files } }];
    }
    const { recipient } = command;
    if (!state.countries.includes(recipient.country)) refuse(`${recipient.country} did not take part in the workshop`, 'country_not_in_report');
    const current = state.deliveries[recipient.country];
    switch (command.type) {
      case 'QueueDelivery':
        if (current && current.status !== 'failed') return [];
        return [{ type: 'ReportDeliveryQueued', data: { ...recipient, queuedAt: command.at } }];
      case 'RecordDeliverySent':
        if (current?.status === 'sent') return [];
        return [{ type: 'ReportDeliverySent', data: { ...recipient, sentAt: command.at, messageId: command.messageId, languageSent: command.languageSent } }];
      case 'RecordDeliveryFailed':
        if (current?.status === 'sent' || (current?.status === 'failed' && current.reason === command.reason)) return [];
        return [{ type: 'ReportDeliveryFailed', data: { ...recipient, failedAt: command.at, reason: command.reason } }];
    }
  },
  evolve(state, event) {
    if (event.type === 'ReportCompiled') {
      const { workshopId, compiledAt, files, countries } = event.data;
      return { status: 'compiled', workshopId, compiledAt, files, countries, deliveries: {} };
    }
    // A report's stream starts when it is compiled: nothing else comes before it.
    if (state.status === 'none') return state;
    if (event.type === 'ReportRerendered') {
      return { ...state, files: event.data.files, rerenderedFor: [...(state.rerenderedFor ?? []), event.data.subjectId] };
    }
    const { country, ministry, email, language } = event.data;
    const recipient = { country, ministry, email, language };
    const delivery: ReportDelivery =
      event.type === 'ReportDeliveryQueued'
        ? { ...recipient, status: 'queued' }
        : event.type === 'ReportDeliverySent'
          ? { ...recipient, status: 'sent', sentAt: event.data.sentAt, languageSent: event.data.languageSent ?? language }
          : { ...recipient, status: 'failed', reason: event.data.reason };
    return { ...state, deliveries: { ...state.deliveries, [country]: delivery } };
  },
};

/** `report-<workshopId>` (a workshop has one report), and back. */
export const [reportStream, reportWorkshopIdOf] = streamKind('report');
