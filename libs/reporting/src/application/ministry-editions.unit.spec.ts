import { buildReportModel } from '../report/report.build';
import { fixtureSource } from '../report/report.fixture';
import { MinistryEditions } from './ministry-editions';

describe("the ministries' editions kept for retries", () => {
  const createdAt = new Date('2025-10-26T10:00:00Z');
  const model = buildReportModel(fixtureSource());

  it('renders each edition once for the same model, and again when the model changed', async () => {
    const editions = new MinistryEditions();
    const [id] = await editions.of(model, [{ country: 'ID', language: 'en' }], createdAt);
    const [ke, again] = await editions.of(model, [{ country: 'KE', language: 'fr' }, { country: 'ID', language: 'en' }], createdAt);
    expect(again).toBe(id);
    expect(ke).toMatchObject({ country: 'KE', language: 'fr' });
    const changed = { ...model, workshop: { ...model.workshop, title: 'Another title' } };
    const [fresh] = await editions.of(changed, [{ country: 'ID', language: 'en' }], createdAt);
    expect(fresh).not.toBe(id);
    expect(fresh.pdf.equals(id.pdf)).toBe(false);
  });
});
