import { deciderSpec } from '@passerelle/testing';
import { reportDecider } from './report.decider';
import type { ReportEvent } from './report.events';

const W = '7d1d1a8e-3c55-4b7e-9a3a-1f0b9a4f2c11';
const spec = deciderSpec(reportDecider);
const files = [
  { kind: 'pdf' as const, language: 'en', checksum: 'a'.repeat(64) },
  { kind: 'csv' as const, language: 'en', checksum: 'b'.repeat(64) },
];
const compiled: ReportEvent = { type: 'ReportCompiled', data: { workshopId: W, compiledAt: '2030-10-25T18:00:00.000Z', files, countries: ['EG', 'ZM'] } };
const zm = { country: 'ZM', ministry: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' };
const at = '2030-10-25T18:01:00.000Z';
const queued: ReportEvent = { type: 'ReportDeliveryQueued', data: { ...zm, queuedAt: at } };
const sent: ReportEvent = { type: 'ReportDeliverySent', data: { ...zm, sentAt: at, messageId: '<m@x>', languageSent: 'en' } };
const failed: ReportEvent = { type: 'ReportDeliveryFailed', data: { ...zm, email: '', ministry: '', failedAt: at, reason: 'no ministry contact' } };

describe('report decider', () => {
  it('compiles once: a second compilation is no event', () => {
    spec().when({ type: 'CompileReport', workshopId: W, compiledAt: compiled.data.compiledAt, files, countries: ['EG', 'ZM'] }).then([compiled]);
    spec([compiled]).when({ type: 'CompileReport', workshopId: W, compiledAt: '2031-01-01T00:00:00.000Z', files: [], countries: [] }).thenNothing();
  });

  it('refuses deliveries before compilation, and for a country not in the report', () => {
    spec().when({ type: 'QueueDelivery', recipient: zm, at }).thenRefuses('report_not_compiled', 'The report is not compiled yet');
    spec([compiled]).when({ type: 'QueueDelivery', recipient: { ...zm, country: 'BR' }, at }).thenRefuses('country_not_in_report');
  });

  it('queues, then records a delivery sent once', () => {
    spec([compiled]).when({ type: 'QueueDelivery', recipient: zm, at }).then([queued]);
    spec([compiled, queued]).when({ type: 'QueueDelivery', recipient: zm, at }).thenNothing();
    spec([compiled, queued]).when({ type: 'RecordDeliverySent', recipient: zm, messageId: '<m@x>', at, languageSent: 'en' }).then([sent]);
    spec([compiled, queued, sent]).when({ type: 'RecordDeliverySent', recipient: zm, messageId: '<m@x>', at, languageSent: 'en' }).thenNothing();
    spec([compiled, queued, sent]).when({ type: 'QueueDelivery', recipient: zm, at }).thenNothing();
    spec([compiled, queued, sent]).when({ type: 'RecordDeliveryFailed', recipient: zm, reason: 'x', at }).thenNothing();
  });

  it('records a failure once, and queues a failed delivery again', () => {
    const recipient = { ...zm, email: '', ministry: '' };
    spec([compiled]).when({ type: 'RecordDeliveryFailed', recipient, reason: 'no ministry contact', at }).then([failed]);
    spec([compiled, failed]).when({ type: 'RecordDeliveryFailed', recipient, reason: 'no ministry contact', at }).thenNothing();
    spec([compiled, failed]).when({ type: 'QueueDelivery', recipient: zm, at }).then([queued]);
  });

  it('renders the files again once per erased subject, after compilation only, keeping the deliveries', () => {
    const S = '0b8f5c1e-2d3a-4c5b-8e9f-1a2b3c4d5e6f';
    const newFiles = files.map((f) => ({ ...f, checksum: 'c'.repeat(64) }));
    const command = { type: 'RerenderReport' as const, workshopId: W, subjectId: S, at, files: newFiles };
    const rerendered: ReportEvent = { type: 'ReportRerendered', data: { workshopId: W, subjectId: S, rerenderedAt: at, files: newFiles } };
    spec().when(command).thenRefuses('report_not_compiled');
    spec([compiled, queued, sent]).when(command).then([rerendered]);
    spec([compiled, queued, sent, rerendered]).when(command).thenNothing();
    spec([compiled, rerendered]).when({ ...command, subjectId: 'another' }).then([{ ...rerendered, data: { ...rerendered.data, subjectId: 'another' } }]);
    const state = [compiled, queued, sent, rerendered].reduce(reportDecider.evolve, reportDecider.initialState());
    expect(state).toMatchObject({ files: newFiles, rerenderedFor: [S], deliveries: { ZM: { status: 'sent' } } });
  });

  it('holds nothing before compilation', () => expect(reportDecider.initialState()).toEqual({ status: 'none' }));

  it('folds deliveries by country, each with what its status knows', () => {
    const stateAfter = (history: ReportEvent[]) => history.reduce(reportDecider.evolve, reportDecider.initialState());
    const report = {
      status: 'compiled',
      workshopId: '7d1d1a8e-3c55-4b7e-9a3a-1f0b9a4f2c11',
      compiledAt: '2030-10-25T18:00:00.000Z',
      files: [
        { kind: 'pdf', language: 'en', checksum: 'a'.repeat(64) },
        { kind: 'csv', language: 'en', checksum: 'b'.repeat(64) },
      ],
      countries: ['EG', 'ZM'],
    };
    const ministry = { country: 'ZM', ministry: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' };
    expect(stateAfter([compiled])).toEqual({ ...report, deliveries: {} });
    expect(stateAfter([compiled, failed])).toEqual({
      ...report,
      deliveries: { ZM: { country: 'ZM', ministry: '', email: '', language: 'en', status: 'failed', reason: 'no ministry contact' } },
    });
    expect(stateAfter([compiled, failed, queued])).toEqual({ ...report, deliveries: { ZM: { ...ministry, status: 'queued' } } });
    expect(stateAfter([compiled, failed, queued, sent])).toEqual({ ...report, deliveries: { ZM: { ...ministry, status: 'sent', sentAt: '2030-10-25T18:01:00.000Z', languageSent: 'en' } } });
    // Asked in German, sent in English: both kept. A delivery recorded before the language sent was kept was sent in the one asked.
    const inGerman = { ...ministry, language: 'de' };
    const sentInEnglish: ReportEvent = { type: 'ReportDeliverySent', data: { ...inGerman, sentAt: at, messageId: '<m@x>', languageSent: 'en' } };
    expect(stateAfter([compiled, sentInEnglish])).toMatchObject({ deliveries: { ZM: { ...inGerman, status: 'sent', sentAt: at, languageSent: 'en' } } });
    const older: ReportEvent = { type: 'ReportDeliverySent', data: { ...ministry, language: 'fr', sentAt: at, messageId: '<m@x>' } };
    expect(stateAfter([compiled, older])).toMatchObject({ deliveries: { ZM: { ...ministry, language: 'fr', status: 'sent', sentAt: at, languageSent: 'fr' } } });
  });
});
