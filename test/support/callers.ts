import { randomUUID } from 'node:crypto';
import { waitFor } from '@passerelle/testing';
import { type Stack, tokenIn } from './stack';

/**
 * The six kinds of caller of the security tests, on a running stack (API, worker, SMTP): no one, a
 * participant holding only the RSVP link of their e-mail, a contact of partner institution A, one of B,
 * a staff member and an admin. Also builders of workshops, proposals and partnerships in a given state.
 */

export type Caller = 'anonymous' | 'participant' | 'partnerA' | 'partnerB' | 'staff' | 'admin';
export const CALLERS: Caller[] = ['anonymous', 'participant', 'partnerA', 'partnerB', 'staff', 'admin'];
export type Headers = Record<string, string>;

const MAIL_WAIT = { timeoutMs: 30_000 };
const STAFF = { email: 'matrix.staff@institute.test', fullName: 'Matrix Staff', password: 'staff-password-Lk3#vQ8r' };
const PARTNER_PASSWORD = 'partner-password-Tz6!pW2m';
export const WORKSHOP = { title: 'Digital public services', hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: '2031-06-02', endsOn: '2031-06-04', themes: ['health'] };
export const PROPOSAL = { title: 'Crop monitoring', summary: 'Imagery for smallholders', sectors: ['agriculture'], countries: ['ZM'], durationMonths: 12 };
export const PARTICIPANT = { fullName: 'Siti Rahma', email: 'siti.rahma@kominfo.test', country: 'ID', organization: 'Ministry of Communication', language: 'en' };
export const STUDY = { kind: 'study', title: 'Foundations', startsAt: '2031-06-02T09:00:00Z', endsAt: '2031-06-02T12:00:00Z' };
export const SHARING = { kind: 'solutions_sharing', title: 'Solutions', startsAt: '2031-06-03T09:00:00Z', endsAt: '2031-06-03T12:00:00Z' };

export const bearer = (token: string): Headers => ({ Authorization: `Bearer ${token}` });

/** Fails with the answer in the message, so a fixture that cannot be built says why. */
function check(answer: { status: number; text: string }, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.text}`);
}

/** The staff member of `headers` declares no conflict of interest with the proposal: what reviewing, sending back, approving and rejecting require first. */
export async function declareNoConflict(stack: Stack, proposalId: string, headers: Headers): Promise<void> {
  check(await stack.http.post(`/api/proposals/${proposalId}/conflict-declarations`).set(headers).send({ conflict: false }), 201, 'declaring no conflict of interest');
}

/** The token in the `nth` activation e-mail to `email`. */
export async function activationToken(stack: Stack, email: string, nth = 1): Promise<string> {
  await waitFor(() => stack.smtp.to(email).length >= nth, { ...MAIL_WAIT, what: `activation e-mail to ${email}` });
  const match = /\/activate\/([A-Za-z0-9_-]{43})/.exec(stack.smtp.to(email)[nth - 1].parsed.text ?? '');
  if (!match) throw new Error(`No activation link in the e-mail to ${email}`);
  return match[1];
}

/** A partner institution registered by the admin, its contact activated and logged in. */
export async function partnerInstitution(stack: Stack, name: string, contact: { fullName: string; email: string }): Promise<{ id: string; headers: Headers }> {
  const registered = await stack.http.post('/api/partner-institutions').set(bearer(stack.token)).send({ name, country: 'ZM', contact: { ...contact, language: 'en' } });
  check(registered, 201, `registering ${name}`);
  const token = await activationToken(stack, contact.email);
  check(await stack.http.post('/api/auth/activate').send({ token, password: PARTNER_PASSWORD }), 200, `activating ${contact.email}`);
  const login = await stack.http.post('/api/auth/login').send({ email: contact.email, password: PARTNER_PASSWORD });
  check(login, 200, `logging in as ${contact.email}`);
  return { id: registered.body.id, headers: bearer(login.body.accessToken) };
}

/** A workshop, taken by the admin to `status`, with a study and a solutions-sharing session and, once open, `participants` invited. */
export async function workshopIn(
  stack: Stack,
  status: 'planned' | 'registration_open' | 'in_progress' | 'concluded',
  fields: Partial<typeof WORKSHOP> = {},
  participants: object[] = [{ ...PARTICIPANT, email: `p-${randomUUID()}@delegation.test` }],
): Promise<{ id: string; studyId: string; sharingId: string; invitationIds: string[] }> {
  const as = bearer(stack.token);
  const created = await stack.http.post('/api/workshops').set(as).send({ ...WORKSHOP, ...fields });
  check(created, 201, 'planning a workshop');
  const id = created.body.id as string;
  const study = await stack.http.post(`/api/workshops/${id}/sessions`).set(as).send(STUDY);
  const sharing = await stack.http.post(`/api/workshops/${id}/sessions`).set(as).send(SHARING);
  check(sharing, 201, 'adding a session');
  const result = { id, studyId: study.body.sessionId as string, sharingId: sharing.body.sessionId as string, invitationIds: [] as string[] };
  if (status === 'planned') return result;
  check(await stack.http.post(`/api/workshops/${id}/open-registration`).set(as), 200, 'opening registration');
  const invited = await stack.http.post(`/api/workshops/${id}/invitations`).set(as).send({ participants });
  check(invited, 202, 'inviting');
  result.invitationIds = invited.body.items.map((item: { id: string }) => item.id);
  if (status === 'registration_open') return result;
  check(await stack.http.post(`/api/workshops/${id}/start`).set(as), 200, 'starting');
  if (status === 'in_progress') return result;
  check(await stack.http.post(`/api/workshops/${id}/conclude`).set(as), 202, 'concluding');
  return result;
}

/** Waits for the worker to compile a concluded workshop's report. */
export async function compiledReport(stack: Stack, workshopId: string): Promise<void> {
  await waitFor(
    async () => {
      const report = await stack.http.get(`/api/workshops/${workshopId}/report`).set(bearer(stack.token));
      return report.status === 200 && report.body.files.length > 0;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `the report of ${workshopId}` },
  );
}

export interface Callers {
  headers: Record<Caller, Headers>;
  staffHeaders: Headers;
  institutionA: string;
  institutionB: string;
  /** The participant's RSVP token (the link in their invitation e-mail) and its invitation. */
  rsvpToken: string;
  /** A proposal of partner A in `status`; approved ones have become a partnership (with APPROVALS_REQUIRED=1). */
  proposal(status: 'draft' | 'submitted', fields?: object): Promise<string>;
  /** A partnership of partner A, `status`. */
  partnership(status: 'active' | 'suspended'): Promise<string>;
}

/** Sets up the six callers on `stack`, whose API must run with APPROVALS_REQUIRED=1. */
export async function setUpCallers(stack: Stack): Promise<Callers> {
  const admin = bearer(stack.token);
  check(await stack.http.post('/api/staff').set(admin).send(STAFF), 201, 'creating staff');
  const staffLogin = await stack.http.post('/api/auth/login').send({ email: STAFF.email, password: STAFF.password });
  check(staffLogin, 200, 'logging in as staff');
  const staff = bearer(staffLogin.body.accessToken);
  const [a, b] = await Promise.all([
    partnerInstitution(stack, 'University of Zambia', { fullName: 'Contact A', email: 'contact@unza.test' }),
    partnerInstitution(stack, 'Universitas Indonesia', { fullName: 'Contact B', email: 'contact@ui.test' }),
  ]);
  const invited = { ...PARTICIPANT, email: 'participant@delegation.test' };
  await workshopIn(stack, 'registration_open', {}, [invited]);
  await waitFor(() => stack.smtp.to(invited.email).length >= 1, { ...MAIL_WAIT, what: 'the invitation e-mail' });
  const rsvpToken = tokenIn(stack.smtp.to(invited.email)[0].parsed.text ?? '');

  async function proposal(status: 'draft' | 'submitted', fields: object = {}): Promise<string> {
    const created = await stack.http.post('/api/proposals').set(a.headers).send({ ...PROPOSAL, ...fields });
    check(created, 201, 'creating a proposal');
    if (status === 'submitted') check(await stack.http.post(`/api/proposals/${created.body.id}/submit`).set(a.headers), 200, 'submitting');
    return created.body.id;
  }

  async function partnership(status: 'active' | 'suspended'): Promise<string> {
    const proposalId = await proposal('submitted');
    await declareNoConflict(stack, proposalId, staff);
    const approved = await stack.http.post(`/api/proposals/${proposalId}/approve`).set(staff);
    check(approved, 200, 'approving');
    const id = await waitFor(
      async () => {
        const list = await stack.http.get('/api/partnerships?limit=500').set(staff);
        return list.body.items?.find((p: { proposalId: string }) => p.proposalId === proposalId)?.id as string | undefined;
      },
      { timeoutMs: 20_000, what: `the partnership of ${proposalId}` },
    );
    if (status === 'suspended') check(await stack.http.post(`/api/partnerships/${id}/suspend`).set(staff).send({}), 200, 'suspending');
    return id;
  }

  return {
    headers: { anonymous: {}, participant: bearer(rsvpToken), partnerA: a.headers, partnerB: b.headers, staff, admin },
    staffHeaders: staff,
    institutionA: a.id,
    institutionB: b.id,
    rsvpToken,
    proposal,
    partnership,
  };
}
