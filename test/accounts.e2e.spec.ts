import { ADMIN, type ApiUnderTest, login, startApi } from './support/api';

describe('accounts over HTTP', () => {
  let api: ApiUnderTest;
  let adminToken: string;

  beforeAll(async () => {
    api = await startApi('accounts');
    adminToken = await login(api.http, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('logs the admin created at start in, with the answer API.md describes', async () => {
    const response = await api.http.post('/api/auth/login').send({ email: ADMIN.email, password: ADMIN.password }).expect(200);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 3600,
      user: { id: expect.any(String), email: ADMIN.email, role: 'admin' },
    });
  });

  it('refuses a wrong password and an unknown e-mail alike, as problem+json', async () => {
    const wrong = await api.http.post('/api/auth/login').send({ email: ADMIN.email, password: 'not-the-password' }).expect(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrong.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Wrong e-mail or password', type: expect.any(String) });
    const unknown = await api.http.post('/api/auth/login').send({ email: 'nobody@passerelle.test', password: 'whatever-it-is' }).expect(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('answers /api/me for a token and 401 without one or with a forged one', async () => {
    const me = await api.http.get('/api/me').set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(me.body).toMatchObject({ email: ADMIN.email, role: 'admin', fullName: 'Administrator' });
    expect(me.body).not.toHaveProperty('passwordHash');
    await api.http.get('/api/me').expect(401);
    const forged = adminToken.slice(0, -4) + (adminToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const refused = await api.http.get('/api/me').set('Authorization', `Bearer ${forged}`).expect(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
  });

  it('lets the admin create staff, who can log in but cannot create staff (403)', async () => {
    const created = await api.http
      .post('/api/staff')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ email: 'amina.diallo@institute.test', fullName: 'Amina Diallo', password: 'a-long-staff-password' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      email: 'amina.diallo@institute.test',
      fullName: 'Amina Diallo',
      role: 'staff',
      institutionId: null,
    });
    const staffToken = await login(api.http, 'Amina.Diallo@institute.test', 'a-long-staff-password');
    const me = await api.http.get('/api/me').set('Authorization', `Bearer ${staffToken}`).expect(200);
    expect(me.body.role).toBe('staff');
    const refused = await api.http
      .post('/api/staff')
      .set('Authorization', `Bearer ${staffToken}`)
      .send({ email: 'other@institute.test', fullName: 'Other', password: 'another-long-password' })
      .expect(403);
    expect(refused.body).toMatchObject({ status: 403, title: 'Forbidden' });
    await login(api.http, ADMIN.email, ADMIN.password);
    await api.http.post('/api/auth/login').send({ email: 'other@institute.test', password: 'another-long-password' }).expect(401);
  });

  it('refuses a second account with the same e-mail, whatever its case (409)', async () => {
    const body = { email: 'kairat.nurlanov@institute.test', fullName: 'Kairat Nurlanov', password: 'a-long-staff-password' };
    await api.http.post('/api/staff').set('Authorization', `Bearer ${adminToken}`).send(body).expect(201);
    const again = await api.http
      .post('/api/staff')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ ...body, email: body.email.toUpperCase() })
      .expect(409);
    expect(again.body.status).toBe(409);
  });

  it('answers 400 naming unknown, missing, wrong-typed and out-of-range fields, and creates nothing', async () => {
    const before = await countUsers();
    const unknown = await api.http
      .post('/api/staff')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ email: 'x@institute.test', fullName: 'X', password: 'a-long-staff-password', role: 'admin' })
      .expect(400);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body.errors).toEqual([{ field: 'role', message: 'is not a known field' }]);

    const bad = await api.http
      .post('/api/staff')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ email: 'not-an-email', fullName: 42, password: 'short' })
      .expect(400);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['email', 'fullName', 'password']));

    const missing = await api.http.post('/api/staff').set('Authorization', `Bearer ${adminToken}`).send({}).expect(400);
    expect(new Set(missing.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['email', 'fullName', 'password']));

    const login400 = await api.http.post('/api/auth/login').send({ email: ADMIN.email }).expect(400);
    expect(login400.body.errors.map((e: { field: string }) => e.field)).toContain('password');
    expect(await countUsers()).toBe(before);
  });

  it('answers malformed JSON and a non-object body with 400, never 500', async () => {
    const malformed = await api.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c", ')
      .expect(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const body of ['[]', '"text"', 'null', '42']) {
      const response = await api.http.post('/api/auth/login').set('Content-Type', 'application/json').send(body);
      expect(response.status).toBe(400);
    }
  });

  it('refuses text PostgreSQL cannot store and bodies nested absurdly deep with a 400, never a 500', async () => {
    const admin = { Authorization: `Bearer ${adminToken}` };
    const nul = await api.http.post('/api/staff').set(admin).send({ email: 'nul@institute.test', fullName: 'A\u0000B', password: 'a-long-staff-password' }).expect(400);
    expect(nul.body.errors.map((e: { field: string }) => e.field)).toEqual(['fullName']);
    const surrogate = await api.http.post('/api/staff').set(admin).send({ email: 'a\ud800@institute.test', fullName: 'A', password: 'a-long-staff-password' }).expect(400);
    expect(surrogate.body.errors.map((e: { field: string }) => e.field)).toEqual(['email']);
    const deep = `{"email": "a@b.org", "password": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const nested = await api.http.post('/api/auth/login').set('Content-Type', 'application/json').send(deep).expect(400);
    expect(nested.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(/nested/) }]);
  });

  it('holds back password guessing from one source: 429 with Retry-After, right password included, after five failures on an account from it', async () => {
    const body = { email: 'target@institute.test', fullName: 'Target', password: 'the-right-password' };
    await api.http.post('/api/staff').set('Authorization', `Bearer ${adminToken}`).send(body).expect(201);
    for (let i = 0; i < 5; i += 1) {
      await api.http.post('/api/auth/login').send({ email: body.email, password: `guess-${i}` }).expect(401);
    }
    const limited = await api.http.post('/api/auth/login').send({ email: body.email, password: body.password }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    await api.http.post('/api/auth/login').send({ email: 'TARGET@institute.test', password: body.password }).expect(429);
    // Another account from the same source is not locked out by this one (other sources: login-throttle.e2e.spec.ts).
    await login(api.http, ADMIN.email, ADMIN.password);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await api.http.get('/api/nothing-here').set('Authorization', `Bearer ${adminToken}`).expect(404);
    expect(response.body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('answers an address that does not decode with a 400 problem, and takes a trailing slash as none', async () => {
    for (const address of ['/api/proposals/%ZZ', '/%E0%A4%A', '/api/workshops/%']) {
      const response = await api.http.get(address).set('Authorization', `Bearer ${adminToken}`);
      expect({ address, status: response.status }).toEqual({ address, status: 400 });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
    }
    const me = await api.http.get('/api/me/').set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(me.body.email).toBe(ADMIN.email);
  });

  it('takes an empty JSON body as no body, and refuses other media types or an oversized body with a 4xx problem', async () => {
    const empty = await api.http.post('/api/auth/login').set('Content-Type', 'application/json').send('');
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['email', 'password']));
    const binary = await api.http.post('/api/auth/login').set('Content-Type', 'application/octet-stream').send(Buffer.from('xx'));
    expect(binary.status).toBe(415);
    expect(binary.headers['content-type']).toMatch(/^application\/problem\+json/);
    const huge = await api.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a'.repeat(3 * 1024 * 1024), password: 'x' }));
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('gives each request a correlation id, keeping a sane one the client sent', async () => {
    const given = await api.http.get('/health').set('X-Correlation-Id', 'ministry-batch-42').expect(200);
    expect(given.headers['x-correlation-id']).toBe('ministry-batch-42');
    const made = await api.http.get('/health').set('X-Correlation-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  async function countUsers(): Promise<number> {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: api.db.url });
    await client.connect();
    try {
      return Number((await client.query('SELECT count(*) AS n FROM users')).rows[0].n);
    } finally {
      await client.end();
    }
  }
});
