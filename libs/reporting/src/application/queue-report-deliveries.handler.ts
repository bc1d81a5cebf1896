import { Injectable } from '@nestjs/common';
import { type EventMetadata, handleCommand, loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { ministryDecider } from '../domain/ministry.decider';
import { reportDecider, reportStream } from '../domain/report.decider';
import { ministryStream } from './set-ministry-contact';

const NO_CONTACT = 'no ministry contact';

/**
 * Each participating country of a compiled report with no delivery yet: queued to its ministry, or
 * failed for want of a ministry contact (a resend queues it once the contact is set).
 */
@Injectable()
export class QueueReportDeliveriesHandler {
  constructor(private readonly store: PostgresEventStore) {}

  async execute(workshopId: string, metadata: Partial<EventMetadata>): Promise<void> {
    const { state } = await loadAggregate(this.store, reportStream(workshopId), reportDecider);
    if (state.status === 'none') return; // not compiled: nothing to deliver yet
    const at = new Date().toISOString();
    for (const country of state.countries.filter((c) => !state.deliveries[c])) {
      const { state: ministry } = await loadAggregate(this.store, ministryStream(country), ministryDecider);
      const command = ministry.status === 'set'
        ? { type: 'QueueDelivery' as const, recipient: { country, ministry: ministry.contact.ministryName, email: ministry.contact.email, language: ministry.contact.language }, at }
        : { type: 'RecordDeliveryFailed' as const, recipient: { country, ministry: '', email: '', language: '' }, reason: NO_CONTACT, at };
      await handleCommand(this.store, reportStream(workshopId), reportDecider, command, { metadata });
    }
  }
}
