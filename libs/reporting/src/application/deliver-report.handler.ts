import { Injectable, Logger } from '@nestjs/common';
import { type EventMetadata, handleCommand, loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { MailTemplates, OnceMailer, withoutAddresses } from '@passerelle/mail';
import { EventStorePool } from '@passerelle/platform';
import { type ReportDelivery, reportDecider, reportStream } from '../domain/report.decider';
import { ReportQueries } from '../infrastructure/report.queries';
import { loadReportModel } from '../report/report.loader';
import type { ReportModel } from '../report/report.model';
import { reportTexts } from '../report/report.texts';

/**
 * Sends each queued delivery of a report to its ministry, once: the mail ledger's key is the workshop
 * and country, so a delivery sent before a crash but not yet recorded is recorded without a second
 * e-mail. Each outcome (sent or refused) is recorded on the report.
 */
@Injectable()
export class DeliverReportHandler {
  private readonly logger = new Logger('Report');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: EventStorePool,
    private readonly mailer: OnceMailer,
    private readonly templates: MailTemplates,
    private readonly reports: ReportQueries,
  ) {}

  /** The number of e-mails sent now (not those the ledger knew already). */
  async execute(workshopId: string, metadata: Partial<EventMetadata>): Promise<number> {
    const model = await loadReportModel(this.pool, workshopId);
    const { state } = await loadAggregate(this.store, reportStream(workshopId), reportDecider);
    if (state.status === 'none') return 0; // not compiled: nothing queued
    let sent = 0;
    for (const delivery of Object.values(state.deliveries).filter((d) => d.status === 'queued')) {
      sent += (await this.deliver(workshopId, model, delivery, metadata)) ? 1 : 0;
    }
    return sent;
  }

  private async deliver(workshopId: string, model: ReportModel, delivery: ReportDelivery, metadata: Partial<EventMetadata>): Promise<boolean> {
    const { country, language } = delivery;
    const stored = (kind: string) => this.reports.file(workshopId, kind, language).then((f) => f ?? this.reports.file(workshopId, kind, 'en'));
    const [pdf, csv] = await Promise.all([stored('pdf'), stored('csv')]);
    if (!pdf || !csv) throw new Error(`Report ${workshopId} has no stored files for ${language} or en`);
    const figures = model.countries.find((c) => c.country === country);
    const texts = reportTexts(language);
    const rendered = this.templates.render('report-delivery', language, {
      ministry: delivery.ministry,
      workshopTitle: model.workshop.title,
      city: model.workshop.city,
      startsOn: model.workshop.startsOn,
      endsOn: model.workshop.endsOn,
      country: texts.country(country),
      invited: String(figures?.invited ?? 0),
      accepted: String(figures?.accepted ?? 0),
      present: String(figures?.attended ?? 0),
    });
    const name = `report-${model.workshop.startsOn}-${country.toLowerCase()}`;
    const outcome = await this.mailer.send(`report:${workshopId}:${country}`, {
      to: delivery.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      attachments: [
        { filename: `${name}.pdf`, content: pdf.content, contentType: 'application/pdf' },
        { filename: `${name}-participants.csv`, content: csv.content, contentType: 'text/csv; charset=utf-8' },
      ],
    });
    const recipient = { country, ministry: delivery.ministry, email: delivery.email, language };
    const at = new Date().toISOString();
    if (outcome.status === 'rejected') {
      this.logger.warn(`report of workshop ${workshopId} for ${country} refused: ${withoutAddresses(outcome.reason)}`);
      await handleCommand(this.store, reportStream(workshopId), reportDecider, { type: 'RecordDeliveryFailed', recipient, reason: outcome.reason, at }, { metadata });
      return false;
    }
    await handleCommand(this.store, reportStream(workshopId), reportDecider, { type: 'RecordDeliverySent', recipient, messageId: outcome.messageId, at }, { metadata });
    return outcome.status === 'sent';
  }
}
