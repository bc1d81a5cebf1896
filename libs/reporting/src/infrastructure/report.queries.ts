import { Injectable } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { ERASED, loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { EventStorePool } from '@passerelle/platform';
import { reportDecider, type ReportState, reportStream } from '../domain/report.decider';

export interface StoredReportFile {
  kind: string;
  language: string;
  contentType: string;
  content: Buffer;
  checksum: string;
}

export interface ReportView {
  status: 'pending' | 'compiled' | 'sent';
  compiledAt: string | null;
  files: { kind: string; language: string; url: string }[];
  /** `personalDataErased` when the ministry contact it went to was erased: `email` (and `reason`) read `[erased]`. */
  /** `language` is the one asked (the ministry's), `languageSent` the one a sent delivery was written in (English when that had no texts). */
  deliveries: { country: string; ministry: string; email: string; language: string; languageSent?: string; status: string; sentAt?: string; reason?: string; personalDataErased?: true }[];
}

/**
 * A report as its stream says (read straight from the stream: always current) and its stored files.
 */
@Injectable()
export class ReportQueries {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: EventStorePool,
  ) {}

  async state(workshopId: string): Promise<ReportState> {
    return (await loadAggregate(this.store, reportStream(workshopId), reportDecider)).state;
  }

  async view(workshopId: string): Promise<ReportView> {
    const state = await this.state(workshopId);
    if (state.status === 'none') return { status: 'pending', compiledAt: null, files: [], deliveries: [] };
    const base = `/api/workshops/${workshopId}`;
    const deliveries = state.countries.map((country) => {
      const d = state.deliveries[country];
      if (!d) return { country, ministry: '', email: '', language: '', status: 'queued' };
      return {
        country,
        ministry: d.ministry,
        email: d.email,
        language: d.language,
        ...(d.status === 'sent' ? { languageSent: d.languageSent } : {}),
        status: d.status,
        ...(d.status === 'sent' && d.sentAt ? { sentAt: d.sentAt } : {}),
        ...(d.status === 'failed' && d.reason ? { reason: d.reason } : {}),
        ...(d.email === ERASED || (d.status === 'failed' && d.reason === ERASED) ? { personalDataErased: true as const } : {}),
      };
    });
    const allSent = deliveries.every((d) => d.status === 'sent');
    return {
      status: allSent ? 'sent' : 'compiled',
      compiledAt: state.compiledAt,
      files: state.files.map((f) => ({
        kind: f.kind,
        language: f.language,
        url: f.kind === 'pdf' ? `${base}/report.pdf?language=${f.language}` : f.kind === 'csv' ? `${base}/report.csv?language=${f.language}` : `${base}/report.csv?language=${f.language}&file=proposals`,
      })),
      deliveries,
    };
  }

  async file(workshopId: string, kind: string, language: string, db: Pick<ClientBase, 'query'> = this.pool): Promise<StoredReportFile | null> {
    const found = await db.query('SELECT kind, language, content_type, content, checksum FROM report_files WHERE workshop_id = $1 AND kind = $2 AND language = $3', [
      workshopId,
      kind,
      language,
    ]);
    const row = found.rows[0];
    return row ? { kind: row.kind, language: row.language, contentType: row.content_type, content: row.content, checksum: row.checksum } : null;
  }
}
