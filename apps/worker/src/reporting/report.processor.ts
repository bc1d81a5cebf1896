import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { createHash } from 'node:crypto';
import { handleCommand, loadAggregate, runCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { MailTemplates, OnceMailer, withoutAddresses } from '@passerelle/mail';
import { INVITATION_READ_MODEL } from '@passerelle/invitations';
import { INSTITUTION_READ_MODEL } from '@passerelle/partners';
import { PARTNERSHIP_READ_MODEL } from '@passerelle/partnerships';
import { EventStorePool, ReadModels } from '@passerelle/platform';
import { PROPOSAL_READ_MODEL } from '@passerelle/proposals';
import {
  loadReportModel,
  ministryDecider,
  ministryStream,
  type ReportFile,
  type ReportJob,
  type ReportModel,
  REPORT_QUEUE,
  reportDecider,
  ReportQueries,
  type ReportState,
  reportStream,
  reportTexts,
  renderReportFiles,
} from '@passerelle/reporting';
import { WORKSHOP_READ_MODEL, workshopStream } from '@passerelle/workshops';

/** The read models a report is loaded from. */
const SOURCES = [WORKSHOP_READ_MODEL, INVITATION_READ_MODEL, PROPOSAL_READ_MODEL, PARTNERSHIP_READ_MODEL, INSTITUTION_READ_MODEL];

const NO_CONTACT = 'no ministry contact';
const CONTENT_TYPES: Record<ReportFile['kind'], string> = { pdf: 'application/pdf', csv: 'text/csv; charset=utf-8', 'proposals-csv': 'text/csv; charset=utf-8' };

interface RenderedFile extends ReportFile {
  content: Buffer;
}

/**
 * Compiles a concluded workshop's report once (its files stored in the transaction that records
 * ReportCompiled, so the content is fixed then), then sends each participating country's ministry its
 * report, once (the mail ledger's key is the workshop and country), recording each outcome.
 */
@Processor(REPORT_QUEUE, { lockDuration: 60_000, stalledInterval: 10_000, maxStalledCount: 3 })
export class ReportProcessor extends WorkerHost {
  private readonly logger = new Logger('Report');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: EventStorePool,
    private readonly mailer: OnceMailer,
    private readonly templates: MailTemplates,
    private readonly reports: ReportQueries,
    private readonly readModels: ReadModels,
  ) {
    super();
  }

  async process(job: Job<ReportJob>): Promise<string> {
    const { workshopId } = job.data;
    const metadata = { actor: 'worker', correlationId: job.data.correlationId, causationId: job.data.eventId };
    let { state } = await loadAggregate(this.store, reportStream(workshopId), reportDecider);
    if (!state.compiled) {
      const workshop = await this.store.readStream(workshopStream(workshopId));
      const concluded = workshop.find((e) => e.type === 'WorkshopConcluded');
      if (!concluded) return 'workshop not concluded';
      // The report shows everything up to the conclusion: its sources must have got there (else the job fails and is retried).
      await this.readModels.reached(SOURCES, concluded.position, 30_000);
      state = await this.compile(workshopId, concluded.recordedAt, metadata);
    }
    const model = await loadReportModel(this.pool, workshopId);
    const at = new Date().toISOString();
    // Each country with no delivery yet: queued to its ministry, or failed for want of one.
    for (const country of state.countries.filter((c) => !state.deliveries[c])) {
      const { state: ministry } = await loadAggregate(this.store, ministryStream(country), ministryDecider);
      const command = ministry.contact
        ? { type: 'QueueDelivery' as const, recipient: { country, ministry: ministry.contact.ministryName, email: ministry.contact.email, language: ministry.contact.language }, at }
        : { type: 'RecordDeliveryFailed' as const, recipient: { country, ministry: '', email: '', language: '' }, reason: NO_CONTACT, at };
      await handleCommand(this.store, reportStream(workshopId), reportDecider, command, { metadata });
    }
    ({ state } = await loadAggregate(this.store, reportStream(workshopId), reportDecider));
    let sent = 0;
    for (const delivery of Object.values(state.deliveries).filter((d) => d.status === 'queued')) {
      sent += await this.deliver(workshopId, model, delivery, metadata);
    }
    return `${sent} sent`;
  }

  private async compile(workshopId: string, concludedAt: Date, metadata: Record<string, string>): Promise<ReportState> {
    const model = await loadReportModel(this.pool, workshopId);
    const countries = model.countries.map((c) => c.country);
    const languages = new Set<string>();
    for (const country of countries) {
      const { state } = await loadAggregate(this.store, ministryStream(country), ministryDecider);
      languages.add(state.contact ? state.contact.language : 'en');
    }
    // Rendering is CPU work (about a second for a large workshop): done in a worker thread.
    const rendered = await renderReportFiles(model, [...languages].sort(), concludedAt);
    const files: RenderedFile[] = rendered.map((f) => file(f.kind, f.language, f.content));
    await runCommand(this.store, { metadata }, async (session) => {
      for (const f of files) {
        await session.tx.query(
          `INSERT INTO report_files (workshop_id, kind, language, content_type, content, checksum, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (workshop_id, kind, language) DO NOTHING`,
          [workshopId, f.kind, f.language, CONTENT_TYPES[f.kind], f.content, f.checksum, concludedAt],
        );
      }
      const command = { type: 'CompileReport' as const, workshopId, compiledAt: concludedAt.toISOString(), files: files.map(({ kind, language, checksum }) => ({ kind, language, checksum })), countries };
      return session.decide(reportStream(workshopId), reportDecider, command);
    });
    return (await loadAggregate(this.store, reportStream(workshopId), reportDecider)).state;
  }

  private async deliver(workshopId: string, model: ReportModel, delivery: ReportState['deliveries'][string], metadata: Record<string, string>): Promise<number> {
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
      return 0;
    }
    await handleCommand(this.store, reportStream(workshopId), reportDecider, { type: 'RecordDeliverySent', recipient, messageId: outcome.messageId, at }, { metadata });
    return outcome.status === 'sent' ? 1 : 0;
  }
}

function file(kind: ReportFile['kind'], language: string, content: Buffer): RenderedFile {
  return { kind, language, checksum: createHash('sha256').update(content).digest('hex'), content };
}
