import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandOptions, runCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { ministryDecider } from '../domain/ministry.decider';
import { reportDecider, reportNotCompiled, reportStream } from '../domain/report.decider';
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
    return runCommand(this.store, options, async (session) => {
      let { state, version, position } = await session.load(streamId, reportDecider);
      if (state.status === 'none') throw reportNotCompiled();
      const countries: string[] = [];
      // The client's If-Match holds for the report as it read it; each delivery queued here moves it on.
      let expectedVersion = options.expectedVersion;
      const at = new Date().toISOString();
      for (const delivery of Object.values(state.deliveries).sort((a, b) => a.country.localeCompare(b.country))) {
        if (delivery.status !== 'failed') continue;
        const { state: ministry } = await session.load(ministryStream(delivery.country), ministryDecider);
        if (ministry.status === 'none') continue;
        const { ministryName, email, language } = ministry.contact;
        const result = await session.decide(
          streamId,
          reportDecider,
          { type: 'QueueDelivery', recipient: { country: delivery.country, ministry: ministryName, email, language }, at },
          { expectedVersion },
        );
        if (result.events.length > 0) countries.push(delivery.country);
        ({ version, position } = result);
        if (expectedVersion !== undefined) expectedVersion = version;
      }
      return { countries, version, position };
    });
  }
}
