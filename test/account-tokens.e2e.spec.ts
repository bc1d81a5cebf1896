import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { AppConfig } from '@passerelle/platform';
import { waitFor } from '@passerelle/testing';
import { ADMIN, type ApiUnderTest, login, startApi } from './support/api';
import { queryRows } from './support/sql';

/**
 * An access token speaks for its account as the account is now: the role and institution are read from
 * the account (through a cache of ACCOUNT_CACHE_SECONDS, one second here), never from the token; a
 * deleted account's token stops working; a token without an expiry never works.
 */
describe('access tokens and their accounts', () => {
  let api: ApiUnderTest;
  let admin: Record<string, string>;
  let jwt: JwtService;
  const workshop = { title: 'AI in customs', hostInstitution: 'Institute', city: 'Astana', country: 'KZ', startsOn: '2031-05-04', endsOn: '2031-05-06', themes: ['trade'] };

  beforeAll(async () => {
    api = await startApi('account_tokens', { ACCOUNT_CACHE_SECONDS: '1' });
    admin = { Authorization: `Bearer ${await login(api.http, ADMIN.email, ADMIN.password)}` };
    jwt = new JwtService({ secret: createSecretKey(Buffer.from(api.app.get(AppConfig).jwtSecret)) as unknown as string, signOptions: { algorithm: 'HS256' } });
  });

  afterAll(async () => {
    await api?.close();
  });

  /** A new staff account, its id and the headers of its token. */
  async function staffMember(email: string): Promise<{ id: string; headers: Record<string, string> }> {
    const password = 'a-long-staff-password';
    const created = await api.http.post('/api/staff').set(admin).send({ email, fullName: 'Staff Member', password }).expect(201);
    return { id: created.body.id, headers: { Authorization: `Bearer ${await login(api.http, email, password)}` } };
  }

  const claimsOf = (headers: Record<string, string>) => jwt.decode(headers.Authorization.slice('Bearer '.length)) as Record<string, unknown>;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('issues tokens that expire after JWT_TTL_SECONDS', async () => {
    const claims = claimsOf(admin);
    expect(claims.exp).toBe((claims.iat as number) + 3600);
  });

  it("stops a deleted account's token from writing, within the cache time", async () => {
    const staff = await staffMember('deleted.soon@institute.test');
    await api.http.post('/api/workshops').set(staff.headers).send(workshop).expect(201);
    await queryRows(api.db.url, 'DELETE FROM users WHERE id = $1', [staff.id]);
    const refused = await waitFor(
      async () => {
        const response = await api.http.post('/api/workshops').set(staff.headers).send(workshop);
        return response.status === 401 ? response : null;
      },
      { timeoutMs: 5_000, what: 'the write refused' },
    );
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    await api.http.get('/api/me').set(staff.headers).expect(401);
  });

  it('honours a role changed in the table within the cache time: staff made partner get 403 on staff routes', async () => {
    const staff = await staffMember('moved.to.partner@institute.test');
    await api.http.get('/api/workshops').set(staff.headers).expect(200);
    await queryRows(api.db.url, `UPDATE users SET role = 'partner' WHERE id = $1`, [staff.id]);
    await waitFor(async () => (await api.http.get('/api/workshops').set(staff.headers)).status === 403, { timeoutMs: 5_000, what: 'the staff route refused' });
    await api.http.post('/api/workshops').set(staff.headers).send(workshop).expect(403);
    expect((await api.http.get('/api/me').set(staff.headers).expect(200)).body.role).toBe('partner');
  });

  it('treats a staff token claiming the admin role as staff', async () => {
    const staff = await staffMember('claims.admin@institute.test');
    const claims = claimsOf(staff.headers);
    const forged = bearer(await jwt.signAsync({ sub: claims.sub, email: claims.email, role: 'admin', institutionId: null, gen: claims.gen }, { expiresIn: 600 }));
    const refused = await api.http.post('/api/staff').set(forged).send({ email: 'made.by.staff@institute.test', fullName: 'Nobody', password: 'a-long-staff-password' }).expect(403);
    expect(refused.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect((await api.http.get('/api/me').set(forged).expect(200)).body.role).toBe('staff');
  });

  it('refuses a token signed with the right key but without an expiry', async () => {
    const claims = claimsOf(admin);
    const forever = bearer(await jwt.signAsync({ sub: claims.sub, email: claims.email, role: 'admin', gen: claims.gen }));
    expect(jwt.decode(forever.Authorization.slice(7))).not.toHaveProperty('exp');
    const refused = await api.http.post('/api/workshops').set(forever).send(workshop).expect(401);
    expect(refused.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    await api.http.get('/api/me').set(forever).expect(401);
  });
});
