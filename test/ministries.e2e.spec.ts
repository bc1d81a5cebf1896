import { type Stack, startStack } from './support/stack';

describe('ministry contacts', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('ministries');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('keeps one contact per country, replaced when set again, listed for staff', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    await stack.http.put('/api/ministries/ZM').set(auth).send({ ministryName: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' }).expect(200);
    const first = await stack.http.put('/api/ministries/sn').set(auth).send({ ministryName: 'Ministère de la Communication', email: 'numerique@gouv.sn', language: 'fr' }).expect(200);
    expect(first.body).toMatchObject({ id: 'SN', version: 1 });
    const changed = await stack.http.put('/api/ministries/SN').set(auth).send({ ministryName: 'Ministère du Numérique', email: 'numerique@gouv.sn', language: 'fr' }).expect(200);
    expect(changed.body.version).toBe(2);
    const same = await stack.http.put('/api/ministries/SN').set(auth).send({ ministryName: 'Ministère du Numérique', email: 'numerique@gouv.sn', language: 'fr' }).expect(200);
    expect(same.body.version).toBe(2);
    const list = await stack.http.get('/api/ministries').set(auth).set('X-Min-Position', String(changed.body.position)).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ country: 'SN', ministryName: 'Ministère du Numérique', email: 'numerique@gouv.sn', language: 'fr', version: 2 }),
      expect.objectContaining({ country: 'ZM', language: 'en' }),
    ]);
    const bad = await stack.http.put('/api/ministries/XX').set(auth).send({ ministryName: 'M', email: 'not-an-email', language: 'english', extra: 1 }).expect(400);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['email', 'language', 'extra']));
    await stack.http.put('/api/ministries/XX').set(auth).send({ ministryName: 'M', email: 'm@gov.test', language: 'en' }).expect(400);
    await stack.http.get('/api/ministries').expect(401);
  });
});
