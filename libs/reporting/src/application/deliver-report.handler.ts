import { Injectable, Logger } from '@nestjs/common';
import { type EventMetadata, handleCommand, loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { MailTemplates, OnceMailer, withoutAddresses } from '@passerelle/mail';
import { EventStorePool } from '@passerelle/platform';
import { type ReportDelivery, reportDecider, reportStream } from '../domain/report.decider';
import { loadReportModel } from '../report/report.loader';
import type { ReportModel } from '../report/report.model';
import type { RenderedMinistryFiles } from '../report/report.render';
import { reportTexts } from '../report/report.texts';
import { MinistryEditions } from './ministry-editions';

/**
 * Sends each queued delivery of a report to its ministry, once: the mail ledger's key is the workshop
 * and country, so a delivery sent before a crash but not yet recorded is recorded without a second
 * e-mail. Each outcome (sent or refused) is recorded on the report.
 *
 * A ministry gets its own edition of the report, never the staff's files: the PDF with every aggregate
 * figure and its own country's page, and a CSV of its own country's participants without e-mail
 * addresses. The editions are rendered here, at delivery, in the ministry's language (one PDF per
 * delivery, a fraction of the staff's): rendering one per country at compile time would multiply the
 * compile's rendering by the number of countries, and store yet another copy of each person's data.
 */
@Injectable()
export class DeliverReportHandler {
  private readonly logger = new Logger('Report');
  private readonly editions = new MinistryEditions();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: EventStorePool,
    private readonly mailer: OnceMailer,
    private readonly templates: MailTemplates,
  ) {}

  /** The number of e-mails sent now (not those the ledger knew already). */
  async execute(workshopId: string, metadata: Partial<EventMetadata>): Promise<number> {
    const model = await loadReportModel(this.pool, workshopId);
    const { state } = await loadAggregate(this.store, reportStream(workshopId), reportDecider);
    if (state.status === 'none') return 0; // not compiled: nothing queued
    const queued = Object.values(state.deliveries).filter((d) => d.status === 'queued');
    // CPU work (a second or so per few countries for a large workshop): done in a worker thread, once.
    const editions = await this.editions.of(model, queued.map(({ country, language }) => ({ country, language })), new Date(state.compiledAt));
    let sent = 0;
    for (const [i, delivery] of queued.entries()) {
      sent += (await this.deliver(workshopId, model, delivery, editions[i], metadata)) ? 1 : 0;
    }
    return sent;
  }

  private async deliver(workshopId: string, model: ReportModel, delivery: ReportDelivery, edition: RenderedMinistryFiles, metadata: Partial<EventMetadata>): Promise<boolean> {
    const { country, language } = delivery;
    const figures = model.countries.find((c) => c.country === country);
    const texts = reportTexts(language);
    // The e-mail is written in the language its files are (English when the ministry's has no texts):
    // the dates and the country's name as that language writes them.
    const rendered = this.templates.render('report-delivery', texts.language, {
      ministry: delivery.ministry,
      workshopTitle: model.workshop.title,
      city: model.workshop.city,
      startsOn: texts.dates(model.workshop.startsOn, model.workshop.startsOn),
      endsOn: texts.dates(model.workshop.endsOn, model.workshop.endsOn),
      country: texts.country(country),
      invited: String(figures?.invited ?? 0),
      accepted: String(figures?.accepted ?? 0),
      present: String(figures?.attended ?? 0),
    });
    // The workshop, the country and the language the files are written in (English when the ministry's has no labels).
    const name = `report-${model.workshop.startsOn}-${country.toLowerCase()}-${texts.language}`;
    const outcome = await this.mailer.send(`report:${workshopId}:${country}`, {
      to: delivery.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      language: rendered.language,
      attachments: [
        { filename: `${name}.pdf`, content: edition.pdf, contentType: 'application/pdf' },
        { filename: `${name}-participants.csv`, content: edition.csv, contentType: 'text/csv; charset=utf-8' },
      ],
    });
    const recipient = { country, ministry: delivery.ministry, email: delivery.email, language };
    const at = new Date().toISOString();
    if (outcome.status === 'rejected') {
      this.logger.warn(`report of workshop ${workshopId} for ${country} refused: ${withoutAddresses(outcome.reason)}`);
      await handleCommand(this.store, reportStream(workshopId), reportDecider, { type: 'RecordDeliveryFailed', recipient, reason: outcome.reason, at }, { metadata });
      return false;
    }
    await handleCommand(this.store, reportStream(workshopId), reportDecider, { type: 'RecordDeliverySent', recipient, messageId: outcome.messageId, at, languageSent: texts.language }, { metadata });
    return outcome.status === 'sent';
  }
}
