import { type Decider, DomainError, streamKind } from '@passerelle/event-store-core';
import type { ReportCommand } from './report.commands';
import type { ReportEvent, ReportFile, ReportRecipient } from './report.events';

export type DeliveryStatus = 'queued' | 'sent' | 'failed';

export interface ReportDelivery extends ReportRecipient {
  status: DeliveryStatus;
  sentAt: string | null;
  reason: string | null;
}

export interface ReportState {
  compiled: boolean;
  workshopId: string | null;
  compiledAt: string | null;
  files: ReportFile[];
  countries: string[];
  /** By country. */
  deliveries: Record<string, ReportDelivery>;
}

function refuse(message: string, code: string): never {
  throw new DomainError(message, code);
}

/** Nothing is delivered before the report is compiled. */
export function reportNotCompiled(): DomainError {
  return new DomainError('The report is not compiled yet', 'report_not_compiled');
}

/**
 * A workshop's report (stream `report-<workshopId>`): compiled once, its files fixed then; then one
 * delivery per participating country, queued, sent or failed. A sent delivery is never sent again; a
 * failed one may be queued again (a resend once the country has a contact).
 */
export const reportDecider: Decider<ReportCommand, ReportState, ReportEvent> = {
  initialState: () => ({ compiled: false, workshopId: null, compiledAt: null, files: [], countries: [], deliveries: {} }),
  decide(command, state) {
    if (command.type === 'CompileReport') {
      if (state.compiled) return [];
      const { workshopId, compiledAt, files, countries } = command;
      return [{ type: 'ReportCompiled', data: { workshopId, compiledAt, files, countries } }];
    }
    if (!state.compiled) throw reportNotCompiled();
    const { recipient } = command;
    if (!state.countries.includes(recipient.country)) refuse(`${recipient.country} did not take part in the workshop`, 'country_not_in_report');
    const current = state.deliveries[recipient.country];
    switch (command.type) {
      case 'QueueDelivery':
        if (current && current.status !== 'failed') return [];
        return [{ type: 'ReportDeliveryQueued', data: { ...recipient, queuedAt: command.at } }];
      case 'RecordDeliverySent':
        if (current?.status === 'sent') return [];
        return [{ type: 'ReportDeliverySent', data: { ...recipient, sentAt: command.at, messageId: command.messageId } }];
      case 'RecordDeliveryFailed':
        if (current?.status === 'sent' || (current?.status === 'failed' && current.reason === command.reason)) return [];
        return [{ type: 'ReportDeliveryFailed', data: { ...recipient, failedAt: command.at, reason: command.reason } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ReportCompiled':
        return { ...state, compiled: true, ...event.data };
      case 'ReportDeliveryQueued':
      case 'ReportDeliverySent':
      case 'ReportDeliveryFailed': {
        const { country, ministry, email, language } = event.data;
        const status: DeliveryStatus = event.type === 'ReportDeliveryQueued' ? 'queued' : event.type === 'ReportDeliverySent' ? 'sent' : 'failed';
        const delivery: ReportDelivery = {
          country,
          ministry,
          email,
          language,
          status,
          sentAt: event.type === 'ReportDeliverySent' ? event.data.sentAt : null,
          reason: event.type === 'ReportDeliveryFailed' ? event.data.reason : null,
        };
        return { ...state, deliveries: { ...state.deliveries, [country]: delivery } };
      }
    }
  },
};

/** `report-<workshopId>` (a workshop has one report), and back. */
export const [reportStream, reportWorkshopIdOf] = streamKind('report');
