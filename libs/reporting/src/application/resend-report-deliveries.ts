import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandOptions, decideOn, executeInTransaction, fold, loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { ministryDecider } from '../domain/ministry.decider';
import { reportDecider, reportStream } from '../domain/report.decider';
import type { ReportEvent } from '../domain/report.events';
import { ministryStream } from './set-ministry-contact';

export interface ResendResult {
  /** Countries queued again. */
  countries: string[];
  version: number;
  position: number;
  replayed: boolean;
}

/** Queues again the failed deliveries of a report whose country now has a ministry contact. */
export class ResendReportDeliveries extends Command<ResendResult> {
  constructor(
    readonly workshopId: string,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(ResendReportDeliveries)
export class ResendReportDeliveriesHandler implements ICommandHandler<ResendReportDeliveries> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ workshopId, options }: ResendReportDeliveries): Promise<ResendResult> {
    const streamId = reportStream(workshopId);
    return executeInTransaction(this.store, options, async (tx) => {
      const events = await this.store.readStream(streamId, 1, tx);
      const state = fold(reportDecider, events as unknown as ReportEvent[]);
      let version = events[events.length - 1]?.version ?? 0;
      let position = events[events.length - 1]?.position ?? 0;
      const countries: string[] = [];
      const at = new Date().toISOString();
      for (const delivery of Object.values(state.deliveries).sort((a, b) => a.country.localeCompare(b.country))) {
        if (delivery.status !== 'failed') continue;
        const { state: ministry } = await loadAggregate(this.store, ministryStream(delivery.country), ministryDecider, tx);
        if (!ministry.contact) continue;
        const { ministryName, email, language } = ministry.contact;
        const result = await decideOn(this.store, tx, streamId, reportDecider, { type: 'QueueDelivery', recipient: { country: delivery.country, ministry: ministryName, email, language }, at }, options);
        if (result.events.length > 0) countries.push(delivery.country);
        ({ version, position } = result);
      }
      // Refuses (409) a report not compiled yet, as the decider does for any delivery.
      if (!state.compiled) reportDecider.decide({ type: 'QueueDelivery', recipient: { country: '', ministry: '', email: '', language: '' }, at }, state);
      return { countries, version, position };
    });
  }
}
