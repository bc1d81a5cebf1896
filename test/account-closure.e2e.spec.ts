import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ActivationTokens, PartnerAccounts } from '@passerelle/accounts';
import { createApiApp } from '../apps/api/src/create-api-app';
import { LogLines, testConfig, waitFor } from '@passerelle/testing';
import { ADMIN, type ApiUnderTest, login, startApi } from './support/api';

/**
 * A password change and an account's closure revoke every token issued before: at once in the API
 * process that made the change, within ACCOUNT_CACHE_SECONDS (one second here) in any other.
 */
describe('password changes and closed accounts', () => {
  const logs = new LogLines();
  let api: ApiUnderTest;
  let other: NestFastifyApplication;
  let otherHttp: ReturnType<typeof request>;
  let admin: Record<string, string>;
  let adminId: string;
  const env = { ACCOUNT_CACHE_SECONDS: '1', LOG_LEVEL: 'info' };

  beforeAll(async () => {
    api = await startApi('account_closure', env, logs);
    // A second API process on the same database, as production runs several.
    other = await createApiApp(testConfig(api.db.url, { ...env, LOG_LEVEL: 'silent' }));
    await other.listen(0, '127.0.0.1');
    otherHttp = request(other.getHttpServer());
    admin = { Authorization: `Bearer ${await login(api.http, ADMIN.email, ADMIN.password)}` };
    adminId = (await api.http.get('/api/me').set(admin).expect(200)).body.id;
  });

  afterAll(async () => {
    await other?.close();
    await api?.close();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  async function staffMember(email: string, password = 'a-long-staff-password'): Promise<{ id: string; headers: Record<string, string> }> {
    const created = await api.http.post('/api/staff').set(admin).send({ email, fullName: 'Staff Member', password }).expect(201);
    return { id: created.body.id, headers: bearer(await login(api.http, email, password)) };
  }

  it('revokes the old tokens on a password change and answers with a fresh one', async () => {
    const staff = await staffMember('changes.password@institute.test');
    await otherHttp.get('/api/me').set(staff.headers).expect(200);
    const changed = await api.http
      .post('/api/me/password')
      .set(staff.headers)
      .send({ currentPassword: 'a-long-staff-password', newPassword: 'a-new-long-password' })
      .expect(200);
    expect(changed.body).toEqual({ accessToken: expect.any(String), expiresIn: 3600, user: { id: staff.id, email: 'changes.password@institute.test', role: 'staff' } });
    const refused = await api.http.get('/api/me').set(staff.headers).expect(401);
    expect(refused.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    await waitFor(async () => (await otherHttp.get('/api/me').set(staff.headers)).status === 401, { timeoutMs: 5_000, what: 'the other process refusing the old token' });
    await api.http.get('/api/workshops').set(bearer(changed.body.accessToken)).expect(200);
    await otherHttp.get('/api/workshops').set(bearer(changed.body.accessToken)).expect(200);
    await api.http.post('/api/auth/login').send({ email: 'changes.password@institute.test', password: 'a-long-staff-password' }).expect(401);
    await login(api.http, 'changes.password@institute.test', 'a-new-long-password');
  });

  it('refuses a wrong current password or a short or weak new one with a 400 naming the field, and changes nothing', async () => {
    const staff = await staffMember('keeps.password@institute.test');
    const wrong = await api.http.post('/api/me/password').set(staff.headers).send({ currentPassword: 'not-my-password', newPassword: 'a-new-long-password' }).expect(400);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
    const short = await api.http.post('/api/me/password').set(staff.headers).send({ currentPassword: 'a-long-staff-password', newPassword: 'short' }).expect(400);
    expect(short.body.errors.map((e: { field: string }) => e.field)).toEqual(['newPassword']);
    for (const weak of ['passwordpassword', 'bbbbbbbbbbbbbb', ' '.repeat(12)]) {
      const refused = await api.http.post('/api/me/password').set(staff.headers).send({ currentPassword: 'a-long-staff-password', newPassword: weak }).expect(400);
      expect(refused.body.errors).toEqual([{ field: 'newPassword', message: expect.any(String) }]);
    }
    const missing = await api.http.post('/api/me/password').set(staff.headers).send({}).expect(400);
    expect(new Set(missing.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['currentPassword', 'newPassword']));
    await api.http.get('/api/me').set(staff.headers).expect(200);
    await login(api.http, 'keeps.password@institute.test', 'a-long-staff-password');
    await api.http.post('/api/me/password').send({ currentPassword: 'a-long-staff-password', newPassword: 'a-new-long-password' }).expect(401);
  });

  it('closes an account: its tokens stop working, it cannot log in, and the admin is recorded as the actor', async () => {
    const staff = await staffMember('leaves.institute@institute.test');
    await otherHttp.get('/api/me').set(staff.headers).expect(200);
    const closed = await api.http.post(`/api/accounts/${staff.id}/close`).set(admin).expect(200);
    expect(closed.body).toEqual({ id: staff.id, email: 'leaves.institute@institute.test', fullName: 'Staff Member', role: 'staff', institutionId: null, closedAt: expect.any(String) });
    await api.http.post('/api/workshops').set(staff.headers).send({}).expect(401);
    await waitFor(async () => (await otherHttp.get('/api/me').set(staff.headers)).status === 401, { timeoutMs: 5_000, what: 'the other process refusing the token' });
    const refused = await api.http.post('/api/auth/login').send({ email: 'leaves.institute@institute.test', password: 'a-long-staff-password' }).expect(401);
    const wrongPassword = await api.http.post('/api/auth/login').send({ email: 'nobody@institute.test', password: 'a-long-staff-password' }).expect(401);
    expect(refused.body).toEqual(wrongPassword.body);
    const line = logs.of('Accounts').find((entry) => (entry.accountClosed as { accountId?: string } | undefined)?.accountId === staff.id);
    expect(line).toMatchObject({ actor: adminId, correlationId: expect.any(String), accountClosed: { role: 'staff' } });
  });

  it('refuses the activation link of a partner account closed before it was used (410)', async () => {
    const userId = randomUUID();
    const contact = { userId, email: 'closed.early@ui.test', fullName: 'Closed Early', institutionId: randomUUID() };
    expect(await api.app.get(PartnerAccounts).claim(contact)).toBe(true);
    const tokens = api.app.get(ActivationTokens);
    await tokens.issue(userId, new Date());
    await api.http.post(`/api/accounts/${userId}/close`).set(admin).expect(200);
    const refused = await api.http.post('/api/auth/activate').send({ token: tokens.tokenFor(userId), password: 'a-partner-password' }).expect(410);
    expect(refused.body.detail).toMatch(/closed/);
    await api.http.post('/api/auth/login').send({ email: contact.email, password: 'a-partner-password' }).expect(401);
  });

  it('answers 409 for a closed account or the admin\'s own, 404 for none, 403 to staff, 400 for a bad id', async () => {
    const staff = await staffMember('closed.twice@institute.test');
    await api.http.post(`/api/accounts/${staff.id}/close`).set(admin).expect(200);
    const again = await api.http.post(`/api/accounts/${staff.id}/close`).set(admin).expect(409);
    expect(again.body).toMatchObject({ status: 409, detail: 'This account is already closed' });
    const own = await api.http.post(`/api/accounts/${adminId}/close`).set(admin).expect(409);
    expect(own.body.detail).toMatch(/own account/);
    await api.http.get('/api/me').set(admin).expect(200);
    await api.http.post('/api/accounts/0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60/close').set(admin).expect(404);
    const colleague = await staffMember('not.an.admin@institute.test');
    await api.http.post(`/api/accounts/${adminId}/close`).set(colleague.headers).expect(403);
    const bad = await api.http.post('/api/accounts/not-an-id/close').set(admin).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    const body = await api.http.post(`/api/accounts/${colleague.id}/close`).set(admin).send({ reason: 'left' }).expect(400);
    expect(body.body.errors).toEqual([{ field: 'reason', message: 'is not a known field' }]);
    await api.http.get('/api/me').set(colleague.headers).expect(200);
  });
});
