/**
 * `npm run demo` (node -r @swc-node/register scripts/demo.ts): loads a demo workshop into a running
 * Passerelle through its public HTTP API only, the way staff, participants and partners use it.
 *
 * Needs: the API and the worker running (`npm start`), their SMTP_URL pointing at a mail catcher with
 * Mailpit's HTTP API (`npm run mailcatcher`, or Mailpit: SMTP on 1025, UI and API on 8025), and the
 * admin account of that Passerelle. The API has no way to read an e-mailed token back (on purpose), so the RSVP and
 * activation tokens are read from the mail catcher, as a participant or a partner would from their
 * inbox.
 *
 *   APP_BASE_URL    the API (default http://localhost:3000)
 *   ADMIN_EMAIL     the admin account (required)
 *   ADMIN_PASSWORD  its password (required)
 *   MAILPIT_URL     the mail catcher's HTTP API and UI (default http://localhost:8025)
 *
 * Each run creates a new workshop and new partner institutions (their contacts' e-mails carry a run
 * suffix), so it can be run again on the same database.
 */

const BASE_URL = (process.env.APP_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const MAILPIT_URL = (process.env.MAILPIT_URL ?? 'http://localhost:8025').replace(/\/+$/, '');
const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? '';
const RUN = new Date().toISOString().replace(/\D/g, '').slice(2, 14); // yymmddhhmmss
const STAFF_PASSWORD = 'demo-reviewer-password';
const PARTNER_PASSWORD = 'demo-partner-password';
const MAIL_TIMEOUT_MS = 90_000;

class DemoError extends Error {}

type Json = any;
type HeaderMap = Record<string, string>;

function log(line = ''): void {
  console.log(line);
}

// ---------------------------------------------------------------------------------------------------
// HTTP

async function call(method: string, path: string, options: { token?: string; body?: unknown; expect?: number[]; headers?: HeaderMap } = {}): Promise<{ status: number; body: Json }> {
  const headers: HeaderMap = { Accept: 'application/json', ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${BASE_URL}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch (err) {
    throw new DemoError(`Cannot reach the Passerelle API at ${BASE_URL} (${describe(err)}). Start it with \`npm start\` or set APP_BASE_URL.`);
  }
  const text = await response.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  const expected = options.expect ?? [200, 201, 202];
  if (!expected.includes(response.status)) {
    const detail = body && typeof body === 'object' ? `${body.title ?? ''}${body.detail ? `: ${body.detail}` : ''}${body.errors ? ` ${JSON.stringify(body.errors)}` : ''}` : String(text).slice(0, 300);
    throw new DemoError(`${method} ${path} answered ${response.status} ${detail}`);
  }
  return { status: response.status, body };
}

function delivery(d: { country: string; status: string; ministry?: string; email?: string; language?: string; reason?: string }): string {
  const to = d.email ? `${d.ministry} <${d.email}> (${d.language})` : '';
  return `  ${d.country} ${d.status.padEnd(6)} ${to}${d.reason ? `${to ? ': ' : ''}${d.reason}` : ''}`;
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = MAIL_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new DemoError(`Timed out after ${timeoutMs / 1000} s waiting for ${what}. Is the worker running, and is its SMTP_URL the mail catcher's?`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// ---------------------------------------------------------------------------------------------------
// Mailpit (only to read the tokens people receive by e-mail)

interface MailSummary {
  ID: string;
  To: { Address: string }[];
  Subject: string;
  Created: string;
}

async function mailpit(path: string): Promise<Json> {
  let response: Response;
  try {
    response = await fetch(`${MAILPIT_URL}${path}`, { headers: { Accept: 'application/json' } });
  } catch (err) {
    throw new DemoError(`Cannot reach the mail catcher's API at ${MAILPIT_URL} (${describe(err)}). Start one with \`npm run mailcatcher\` (or Mailpit) or set MAILPIT_URL.`);
  }
  if (!response.ok) throw new DemoError(`The mail catcher answered ${response.status} to GET ${MAILPIT_URL}${path}; is MAILPIT_URL a mail catcher with Mailpit's API?`);
  return response.json();
}

/** Messages to `address` received after `since` (epoch ms), newest first (Mailpit lists newest first). */
async function mailsTo(address: string, since: number): Promise<MailSummary[]> {
  const found: MailSummary[] = [];
  const wanted = address.toLowerCase();
  for (let start = 0; ; start += 200) {
    const page = await mailpit(`/api/v1/messages?start=${start}&limit=200`);
    const messages: MailSummary[] = page.messages ?? [];
    for (const m of messages) {
      if (Date.parse(m.Created) <= since) return found;
      if (m.To?.some((to) => to.Address.toLowerCase() === wanted)) found.push(m);
    }
    if (messages.length < 200) return found;
  }
}

/** Waits for an e-mail to `address` holding `APP_BASE_URL/<kind>/<token>` and returns the token. */
async function tokenFromMail(address: string, kind: 'rsvp' | 'activate', since: number): Promise<string> {
  const pattern = new RegExp(`/${kind}/([A-Za-z0-9_-]{43})`);
  return waitFor(`the ${kind === 'rsvp' ? 'invitation' : 'activation'} e-mail to ${address}`, async () => {
    for (const summary of await mailsTo(address, since)) {
      const message = await mailpit(`/api/v1/message/${encodeURIComponent(summary.ID)}`);
      const match = pattern.exec(`${message.Text ?? ''}\n${message.HTML ?? ''}`);
      if (match) return match[1];
    }
    return null;
  });
}

// ---------------------------------------------------------------------------------------------------
// The programme's data

const WORKSHOP = {
  title: 'Artificial Intelligence for Sustainable Development: Capacity-Building Workshop for Government Officials',
  hostInstitution: 'Shanghai Institute for Artificial Intelligence Research',
  city: 'Shanghai',
  country: 'CN',
  startsOn: '2025-10-23',
  endsOn: '2025-10-25',
  themes: ['AI governance', 'healthcare', 'education', 'green development'],
};

const SESSIONS = {
  study: { kind: 'study', title: 'Foundations of AI for public policy: models, data and governance', startsAt: '2025-10-23T09:00:00+08:00', endsAt: '2025-10-23T17:00:00+08:00', location: 'Lecture hall A, Xuhui campus' },
  visit: { kind: 'field_visit', title: 'Field visit: AI-assisted diagnosis at a Shanghai tertiary hospital and a smart-port control centre', startsAt: '2025-10-24T09:00:00+08:00', endsAt: '2025-10-24T12:30:00+08:00', location: 'Pudong New Area' },
  roundtable: { kind: 'roundtable', title: 'Roundtable: national AI strategies and South-South cooperation', startsAt: '2025-10-24T14:00:00+08:00', endsAt: '2025-10-24T17:30:00+08:00', location: 'Conference room 3' },
  sharing: { kind: 'solutions_sharing', title: 'Solutions sharing: AI in healthcare, education and green development', startsAt: '2025-10-25T09:00:00+08:00', endsAt: '2025-10-25T16:00:00+08:00', location: 'Lecture hall A, Xuhui campus' },
} as const;

interface Person {
  fullName: string;
  email: string;
  country: string;
  organization: string;
  position: string;
  language: string;
  /** accept, decline, or leave unanswered */
  rsvp: 'accept' | 'decline' | 'none';
  /** sessions attended (only if accepted) */
  attends: (keyof typeof SESSIONS)[];
}

const ALL: (keyof typeof SESSIONS)[] = ['study', 'visit', 'roundtable', 'sharing'];

const PEOPLE: Person[] = [
  { fullName: 'Siti Rahmawati', email: 'siti.rahmawati@komdigi.go.id', country: 'ID', organization: 'Ministry of Communication and Digital Affairs', position: 'Director of Digital Governance', language: 'en', rsvp: 'accept', attends: ALL },
  { fullName: 'Budi Santoso', email: 'budi.santoso@brin.go.id', country: 'ID', organization: 'National Research and Innovation Agency (BRIN)', position: 'Senior Researcher', language: 'en', rsvp: 'accept', attends: ['study', 'visit', 'sharing'] },
  { fullName: 'Ayesha Malik', email: 'ayesha.malik@moitt.gov.pk', country: 'PK', organization: 'Ministry of IT and Telecommunication', position: 'Deputy Secretary (AI Policy)', language: 'en', rsvp: 'accept', attends: ALL },
  { fullName: 'Imran Qureshi', email: 'imran.qureshi@pseb.org.pk', country: 'PK', organization: 'Pakistan Software Export Board', position: 'General Manager', language: 'en', rsvp: 'decline', attends: [] },
  { fullName: 'Mona El-Sayed', email: 'mona.elsayed@mcit.gov.eg', country: 'EG', organization: 'وزارة الاتصالات وتكنولوجيا المعلومات', position: 'Head of the Applied AI Unit', language: 'ar', rsvp: 'accept', attends: ALL },
  { fullName: 'Karim Hassan', email: 'karim.hassan@itida.gov.eg', country: 'EG', organization: 'Information Technology Industry Development Agency', position: 'Programme Manager', language: 'en', rsvp: 'accept', attends: ['study', 'roundtable'] },
  { fullName: 'Mwila Banda', email: 'mwila.banda@mots.gov.zm', country: 'ZM', organization: 'Ministry of Technology and Science', position: 'Chief ICT Officer', language: 'en', rsvp: 'accept', attends: ALL },
  { fullName: 'Chipo Mulenga', email: 'chipo.mulenga@moh.gov.zm', country: 'ZM', organization: 'Ministry of Health', position: 'Digital Health Coordinator', language: 'en', rsvp: 'none', attends: [] },
  { fullName: 'Ana Paula Ferreira', email: 'ana.ferreira@mcti.gov.br', country: 'BR', organization: 'Ministério da Ciência, Tecnologia e Inovação', position: 'Coordenadora-Geral de Inteligência Artificial', language: 'pt', rsvp: 'accept', attends: ALL },
  { fullName: 'Rafael Oliveira', email: 'rafael.oliveira@mec.gov.br', country: 'BR', organization: 'Ministério da Educação', position: 'Assessor Técnico', language: 'pt', rsvp: 'accept', attends: ['study', 'sharing'] },
  { fullName: 'Aigerim Nurlanovna', email: 'a.nurlanovna@digital.gov.kz', country: 'KZ', organization: 'Министерство цифрового развития, инноваций и аэрокосмической промышленности', position: 'Head of the AI Department', language: 'ru', rsvp: 'accept', attends: ALL },
  { fullName: 'Daniyar Serikbayev', email: 'd.serikbayev@astanahub.kz', country: 'KZ', organization: 'Astana Hub', position: 'Director of International Programmes', language: 'ru', rsvp: 'accept', attends: ['visit', 'roundtable'] },
  { fullName: 'Fatou Ndiaye', email: 'fatou.ndiaye@numerique.gouv.sn', country: 'SN', organization: "Ministère de la Communication, des Télécommunications et du Numérique", position: 'Conseillère technique', language: 'fr', rsvp: 'accept', attends: ALL },
  { fullName: 'Youssef Benali', email: 'youssef.benali@mtnra.gov.ma', country: 'MA', organization: 'Ministère de la Transition Numérique et de la Réforme de l’Administration', position: "Chef de division de l'innovation", language: 'fr', rsvp: 'accept', attends: ['study', 'roundtable', 'sharing'] },
  { fullName: 'María Fernanda López', email: 'mfernanda.lopez@economia.gob.mx', country: 'MX', organization: 'Secretaría de Economía', position: 'Directora de Economía Digital', language: 'es', rsvp: 'accept', attends: ALL },
  { fullName: 'Nguyen Thi Lan', email: 'lan.nt@most.gov.vn', country: 'VN', organization: 'Ministry of Science and Technology', position: 'Deputy Director, Department of High Technology', language: 'en', rsvp: 'decline', attends: [] },
];

const MINISTRIES: Record<string, { ministryName: string; email: string; language: string }> = {
  ID: { ministryName: 'Ministry of Communication and Digital Affairs', email: 'kerjasama.ai@komdigi.go.id', language: 'en' },
  PK: { ministryName: 'Ministry of Information Technology and Telecommunication', email: 'ai.cooperation@moitt.gov.pk', language: 'en' },
  EG: { ministryName: 'Ministry of Communications and Information Technology', email: 'international@mcit.gov.eg', language: 'ar' },
  ZM: { ministryName: 'Ministry of Technology and Science', email: 'international@mots.gov.zm', language: 'en' },
  BR: { ministryName: 'Ministério da Ciência, Tecnologia e Inovação', email: 'assessoria.internacional@mcti.gov.br', language: 'pt' },
  KZ: { ministryName: 'Ministry of Digital Development, Innovations and Aerospace Industry', email: 'intl@digital.gov.kz', language: 'ru' },
  SN: { ministryName: 'Ministère de la Communication, des Télécommunications et du Numérique', email: 'cooperation@numerique.gouv.sn', language: 'fr' },
  MA: { ministryName: 'Ministère de la Transition Numérique et de la Réforme de l’Administration', email: 'cooperation@mtnra.gov.ma', language: 'fr' },
  MX: { ministryName: 'Secretaría de Economía', email: 'economia.digital@economia.gob.mx', language: 'es' },
  VN: { ministryName: 'Ministry of Science and Technology', email: 'icd@most.gov.vn', language: 'en' },
};
/** The country left without a ministry contact until after the report is sent, to show a failed delivery and its resend. */
const LATE_COUNTRY = 'KZ';

const SOLUTIONS = [
  { company: 'United Imaging Intelligence', title: 'AI-assisted CT screening for lung nodules in county hospitals', sector: 'healthcare' },
  { company: 'iFlytek', title: 'Personalised learning assistant for rural secondary schools', sector: 'education' },
  { company: 'Envision Digital', title: 'AI forecasting for wind and solar grid integration', sector: 'green development' },
  { company: 'Ping An Good Doctor', title: 'Remote triage for primary care in low-resource settings', sector: 'healthcare' },
];

interface Institution {
  key: string;
  name: string;
  country: string;
  website: string;
  contact: { fullName: string; email: string; language: string };
  activate: boolean;
}

const withRun = (email: string) => email.replace('@', `+demo-${RUN}@`);

const INSTITUTIONS: Institution[] = [
  { key: 'ucad', name: 'Université Cheikh Anta Diop de Dakar', country: 'SN', website: 'https://www.ucad.sn', contact: { fullName: 'Awa Diop', email: withRun('awa.diop@ucad.sn'), language: 'fr' }, activate: true },
  { key: 'itb', name: 'Institut Teknologi Bandung', country: 'ID', website: 'https://www.itb.ac.id', contact: { fullName: 'Dewi Lestari', email: withRun('dewi.lestari@itb.ac.id'), language: 'en' }, activate: true },
  { key: 'unza', name: 'University of Zambia', country: 'ZM', website: 'https://www.unza.zm', contact: { fullName: 'Joseph Phiri', email: withRun('joseph.phiri@unza.zm'), language: 'en' }, activate: true },
  { key: 'usp', name: 'Universidade de São Paulo', country: 'BR', website: 'https://www5.usp.br', contact: { fullName: 'Carlos Mendes', email: withRun('carlos.mendes@usp.br'), language: 'pt' }, activate: false },
];

// ---------------------------------------------------------------------------------------------------

async function login(email: string, password: string): Promise<{ token: string; user: Json }> {
  const { body } = await call('POST', '/api/auth/login', { body: { email, password } });
  return { token: body.accessToken, user: body.user };
}

/** A staff reviewer: created the first time, logged in afterwards. */
async function reviewer(admin: string, email: string, fullName: string): Promise<string> {
  const created = await call('POST', '/api/staff', { token: admin, body: { email, fullName, password: STAFF_PASSWORD }, expect: [201, 409] });
  if (created.status === 409) log(`  staff ${email} already exists (previous run)`);
  return (await login(email, STAFF_PASSWORD)).token;
}

async function main(): Promise<void> {
  if (!ADMIN_EMAIL || !ADMIN_PASSWORD) throw new DemoError('Set ADMIN_EMAIL and ADMIN_PASSWORD to the admin account of the running Passerelle (the values it was started with).');

  // Both ends reachable before anything is written.
  try {
    const health = await fetch(`${BASE_URL}/health`);
    if (!health.ok) throw new DemoError(`${BASE_URL}/health answered ${health.status}: the API is up but not ready (PostgreSQL, Redis?).`);
  } catch (err) {
    if (err instanceof DemoError) throw err;
    throw new DemoError(`Cannot reach the Passerelle API at ${BASE_URL} (${describe(err)}). Start it with \`npm start\` or set APP_BASE_URL.`);
  }
  // Only e-mails newer than the newest one already in the catcher belong to this run (a previous run
  // invited the same officials); comparing the catcher's own timestamps avoids any clock skew.
  const newest: MailSummary | undefined = (await mailpit('/api/v1/messages?limit=1')).messages?.[0];
  const since = newest ? Date.parse(newest.Created) : 0;
  log(`Passerelle demo, run ${RUN}`);
  log(`  API ${BASE_URL}, mail catcher ${MAILPIT_URL}`);

  const admin = (await login(ADMIN_EMAIL, ADMIN_PASSWORD)).token;
  const amina = await reviewer(admin, 'amina.yusuf@passerelle.demo', 'Amina Yusuf');
  const chen = await reviewer(admin, 'chen.wei@passerelle.demo', 'Chen Wei');
  log('  logged in as the admin; staff reviewers Amina Yusuf and Chen Wei ready');

  // --- Ministry contacts -------------------------------------------------------------------------
  const existing = new Set<string>(((await call('GET', '/api/ministries?limit=500', { token: admin })).body.items ?? []).map((m: { country: string }) => m.country));
  const lateIsMissing = !existing.has(LATE_COUNTRY);
  for (const [country, contact] of Object.entries(MINISTRIES)) {
    if (country === LATE_COUNTRY && lateIsMissing) continue;
    await call('PUT', `/api/ministries/${country}`, { token: admin, body: contact });
  }
  log();
  log(`Ministry contacts: ${Object.keys(MINISTRIES).filter((c) => c !== LATE_COUNTRY || !lateIsMissing).join(', ')}`);
  if (lateIsMissing) log(`  ${LATE_COUNTRY} (Kazakhstan) is deliberately left WITHOUT a ministry contact: its report delivery will fail, then be resent once the contact is added.`);
  else log(`  ${LATE_COUNTRY} already has a contact from a previous run, so every delivery succeeds this time (use a fresh database to see the failed delivery and the resend).`);

  // --- The workshop ------------------------------------------------------------------------------
  const workshop = (await call('POST', '/api/workshops', { token: admin, body: WORKSHOP })).body;
  const id: string = workshop.id;
  const sessionIds = {} as Record<keyof typeof SESSIONS, string>;
  for (const [key, session] of Object.entries(SESSIONS) as [keyof typeof SESSIONS, (typeof SESSIONS)[keyof typeof SESSIONS]][]) {
    sessionIds[key] = (await call('POST', `/api/workshops/${id}/sessions`, { token: admin, body: session })).body.sessionId;
  }
  await call('POST', `/api/workshops/${id}/open-registration`, { token: admin });
  log();
  log(`Workshop ${id}`);
  log(`  "${WORKSHOP.title}"`);
  log(`  ${WORKSHOP.hostInstitution}, ${WORKSHOP.city}, ${WORKSHOP.startsOn} to ${WORKSHOP.endsOn}`);
  for (const session of Object.values(SESSIONS)) log(`  session ${session.kind}: ${session.title}`);

  // --- Invitations and RSVPs ---------------------------------------------------------------------
  const invited = await call('POST', `/api/workshops/${id}/invitations`, {
    token: admin,
    body: { participants: PEOPLE.map(({ fullName, email, country, organization, position, language }) => ({ fullName, email, country, organization, position, language })) },
  });
  const invitationIds = new Map<string, string>(invited.body.items.map((item: { id: string; email: string }) => [item.email.toLowerCase(), item.id]));
  log();
  log(`Invited ${PEOPLE.length} officials from ${new Set(PEOPLE.map((p) => p.country)).size} countries; reading their RSVP links from the mail catcher...`);
  for (const person of PEOPLE) {
    const token = await tokenFromMail(person.email, 'rsvp', since);
    if (person.rsvp === 'none') {
      log(`  ${person.fullName} (${person.country}, ${person.language}): no answer`);
      continue;
    }
    const page = (await call('GET', `/api/rsvp/${token}`)).body;
    if (page.fullName !== person.fullName) throw new DemoError(`The RSVP link e-mailed to ${person.email} is for ${page.fullName}, not ${person.fullName}`);
    await call('POST', `/api/rsvp/${token}`, { body: { response: person.rsvp } });
    log(`  ${person.fullName} (${person.country}, ${person.language}): ${person.rsvp === 'accept' ? 'accepted' : 'declined'} via ${BASE_URL}/rsvp/<token>`);
  }

  // --- Partners and proposals --------------------------------------------------------------------
  log();
  log('Partner institutions (activation tokens read from the activation e-mails in the mail catcher):');
  const institutionIds: Record<string, string> = {};
  for (const inst of INSTITUTIONS) {
    const { key: _key, activate: _activate, ...body } = inst;
    institutionIds[inst.key] = (await call('POST', '/api/partner-institutions', { token: admin, body })).body.id;
  }
  const partners: Record<string, string> = {};
  for (const inst of INSTITUTIONS) {
    if (!inst.activate) {
      log(`  ${inst.name} (${inst.country}): registered; ${inst.contact.fullName} has not activated the account yet`);
      continue;
    }
    const token = await tokenFromMail(inst.contact.email, 'activate', since);
    await call('POST', '/api/auth/activate', { body: { token, password: PARTNER_PASSWORD } });
    partners[inst.key] = (await login(inst.contact.email, PARTNER_PASSWORD)).token;
    log(`  ${inst.name} (${inst.country}): ${inst.contact.fullName} <${inst.contact.email}> activated the account`);
  }

  const propose = async (partner: string, body: Json) => (await call('POST', '/api/proposals', { token: partner, body })).body.id as string;
  const proposals: { title: string; institution: string; status: string; id: string }[] = [];

  // draft
  const draft = await propose(partners.itb, {
    title: 'Bahasa Indonesia language models for public-service chatbots',
    summary: 'Fine-tuning open models on public-service FAQs of three provinces; a training module for civil servants.',
    sectors: ['public services', 'education'],
    countries: ['ID'],
    workshopId: id,
    durationMonths: 18,
  });
  proposals.push({ title: 'Bahasa Indonesia language models for public-service chatbots', institution: 'Institut Teknologi Bandung', status: 'draft', id: draft });

  // submitted, with one review
  const submitted = await propose(partners.unza, {
    title: 'AI-supported crop disease surveillance for smallholder farmers',
    summary: 'Mobile image classification of maize and cassava diseases with extension officers in four provinces.',
    sectors: ['agriculture', 'green development'],
    countries: ['ZM'],
    workshopId: id,
    durationMonths: 24,
    budget: { amount: 180000, currency: 'USD' },
  });
  await call('POST', `/api/proposals/${submitted}/submit`, { token: partners.unza });
  await call('POST', `/api/proposals/${submitted}/reviews`, { token: amina, body: { score: 4, recommendation: 'approve', comment: 'Strong field partners; clarify the data-sharing agreement.' } });
  proposals.push({ title: 'AI-supported crop disease surveillance for smallholder farmers', institution: 'University of Zambia', status: 'submitted', id: submitted });

  // changes requested
  const revise = await propose(partners.itb, {
    title: 'Flood early warning with satellite imagery and machine learning',
    summary: 'Nowcasting floods in the Citarum basin; joint training with the disaster management agency.',
    sectors: ['green development', 'disaster risk reduction'],
    countries: ['ID', 'PK'],
    workshopId: id,
    durationMonths: 30,
    budget: { amount: 420000, currency: 'USD' },
  });
  await call('POST', `/api/proposals/${revise}/submit`, { token: partners.itb });
  await call('POST', `/api/proposals/${revise}/reviews`, { token: chen, body: { score: 3, recommendation: 'revise', comment: 'The budget needs a breakdown per work package.' } });
  await call('POST', `/api/proposals/${revise}/request-changes`, { token: chen, body: { comment: 'Please break the budget down per work package and per country.' } });
  proposals.push({ title: 'Flood early warning with satellite imagery and machine learning', institution: 'Institut Teknologi Bandung', status: 'changes_requested', id: revise });

  // approved (two distinct staff approvals), which establishes a partnership
  const approved = await propose(partners.ucad, {
    title: "Dépistage assisté par l'IA dans les centres de santé ruraux",
    summary: 'Formation des agents de santé de district au triage assisté par IA ; visites de terrain dans deux régions.',
    sectors: ['healthcare'],
    countries: ['SN', 'ZM'],
    workshopId: id,
    durationMonths: 24,
    budget: { amount: 250000, currency: 'EUR' },
  });
  await call('POST', `/api/proposals/${approved}/submit`, { token: partners.ucad });
  await call('POST', `/api/proposals/${approved}/reviews`, { token: amina, body: { score: 5, recommendation: 'approve', comment: 'Clear plan, strong ministry support.' } });
  await call('POST', `/api/proposals/${approved}/reviews`, { token: chen, body: { score: 4, recommendation: 'approve', comment: 'Good fit with the healthcare track.' } });
  await call('POST', `/api/proposals/${approved}/approve`, { token: amina });
  const second = (await call('POST', `/api/proposals/${approved}/approve`, { token: chen })).body;
  if (second.status !== 'approved') throw new DemoError(`Proposal ${approved} is ${second.status} after two approvals (APPROVALS_REQUIRED above 2?)`);
  proposals.push({ title: "Dépistage assisté par l'IA dans les centres de santé ruraux", institution: 'Université Cheikh Anta Diop de Dakar', status: 'approved', id: approved });

  // rejected
  const rejected = await propose(partners.ucad, {
    title: 'Reconnaissance faciale pour le contrôle des examens nationaux',
    summary: "Déploiement de la reconnaissance faciale dans les centres d'examen.",
    sectors: ['education'],
    countries: ['SN'],
    durationMonths: 12,
    budget: { amount: 90000, currency: 'EUR' },
  });
  await call('POST', `/api/proposals/${rejected}/submit`, { token: partners.ucad });
  await call('POST', `/api/proposals/${rejected}/reviews`, { token: chen, body: { score: 1, recommendation: 'reject', comment: 'Raises privacy concerns outside the programme’s scope.' } });
  await call('POST', `/api/proposals/${rejected}/reject`, { token: amina, body: { reason: 'Biometric surveillance is outside the scope of the programme.' } });
  proposals.push({ title: 'Reconnaissance faciale pour le contrôle des examens nationaux', institution: 'Université Cheikh Anta Diop de Dakar', status: 'rejected', id: rejected });

  const partnership = await waitFor('the partnership established by the approved proposal', async () => {
    const list = (await call('GET', '/api/partnerships?limit=500', { token: partners.ucad })).body.items as { id: string; proposalId: string; status: string }[];
    return list.find((p) => p.proposalId === approved);
  }, 30_000);
  log();
  log('Proposals:');
  for (const p of proposals) log(`  ${p.status.padEnd(17)} ${p.title} (${p.institution}) ${p.id}`);
  log(`  partnership ${partnership.id} (${partnership.status}) established from the approved proposal`);

  // --- The workshop takes place ------------------------------------------------------------------
  await call('POST', `/api/workshops/${id}/start`, { token: admin });
  for (const key of ALL) {
    const present = PEOPLE.filter((p) => p.rsvp === 'accept' && p.attends.includes(key)).map((p) => invitationIds.get(p.email.toLowerCase())!);
    await call('POST', `/api/workshops/${id}/sessions/${sessionIds[key]}/attendance`, { token: admin, body: { invitationIds: present } });
  }
  for (const solution of SOLUTIONS) await call('POST', `/api/workshops/${id}/solutions`, { token: admin, body: { ...solution, sessionId: sessionIds.sharing } });
  await call('POST', `/api/workshops/${id}/conclude`, { token: admin });
  log();
  log('Workshop started, attendance recorded in the four sessions, solutions presented:');
  for (const s of SOLUTIONS) log(`  ${s.sector}: ${s.company}, "${s.title}"`);
  log('Workshop concluded; the worker compiles the report and e-mails each ministry...');

  // --- The report --------------------------------------------------------------------------------
  const countries = new Set(PEOPLE.map((p) => p.country));
  const report = await waitFor('the report compiled and its deliveries recorded', async () => {
    const body = (await call('GET', `/api/workshops/${id}/report`, { token: admin })).body;
    return body.status !== 'pending' && body.deliveries.length === countries.size && body.deliveries.every((d: { status: string }) => d.status !== 'queued') ? body : null;
  });
  log();
  log(`Report ${report.status}; deliveries:`);
  for (const d of report.deliveries) log(delivery(d));

  const failed = report.deliveries.filter((d: { status: string }) => d.status === 'failed').map((d: { country: string }) => d.country);
  if (failed.length > 0) {
    for (const country of failed) {
      if (MINISTRIES[country]) await call('PUT', `/api/ministries/${country}`, { token: admin, body: MINISTRIES[country] });
    }
    log();
    log(`Added the missing ministry contact for ${failed.join(', ')} and resent: POST /api/workshops/${id}/report/deliveries/resend`);
    const resent = (await call('POST', `/api/workshops/${id}/report/deliveries/resend`, { token: admin })).body;
    log(`  resent to: ${(resent.countries ?? []).join(', ') || 'none'}`);
    const done = await waitFor('the resent delivery', async () => {
      const body = (await call('GET', `/api/workshops/${id}/report`, { token: admin })).body;
      return body.deliveries.every((d: { status: string }) => d.status !== 'queued') && body.deliveries.filter((d: { status: string }) => d.status === 'failed').length < failed.length ? body : null;
    });
    log(`Report ${done.status}; deliveries:`);
    for (const d of done.deliveries) log(delivery(d));
  }

  // --- Where to look -----------------------------------------------------------------------------
  const files = (await call('GET', `/api/workshops/${id}/report`, { token: admin })).body.files as { kind: string; language?: string; url: string }[];
  log();
  log('Where to look');
  log(`  Mail catcher UI:  ${MAILPIT_URL}  (invitations, activation links, proposal decisions, ministry reports with PDF and CSV)`);
  log(`  Report status:    GET ${BASE_URL}/api/workshops/${id}/report`);
  log(`  Report PDF:       ${BASE_URL}/api/workshops/${id}/report.pdf  (?language=fr for another language)`);
  log(`  Report CSV:       ${BASE_URL}/api/workshops/${id}/report.csv  (?file=proposals for the proposals CSV)`);
  for (const f of files) log(`    file ${f.kind}${f.language ? `/${f.language}` : ''}: ${f.url.startsWith('http') ? f.url : `${BASE_URL}${f.url}`}`);
  log('  These need a staff token: Authorization: Bearer <accessToken> from POST /api/auth/login, e.g.');
  log(`    TOKEN=$(curl -s ${BASE_URL}/api/auth/login -H 'Content-Type: application/json' -d '{"email":"${ADMIN_EMAIL}","password":"<ADMIN_PASSWORD>"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')`);
  log(`    curl -H "Authorization: Bearer $TOKEN" -o report.pdf ${BASE_URL}/api/workshops/${id}/report.pdf`);
  log(`  API docs:         ${BASE_URL}/docs  (Authorize with the token)`);
  log(`  Admin:            ${ADMIN_EMAIL} with the ADMIN_PASSWORD Passerelle was started with`);
  log(`  Staff reviewers:  amina.yusuf@passerelle.demo, chen.wei@passerelle.demo / ${STAFF_PASSWORD}`);
  log(`  Partners:         ${INSTITUTIONS.filter((i) => i.activate).map((i) => i.contact.email).join(', ')} / ${PARTNER_PASSWORD}`);
}

main().catch((err) => {
  console.error(err instanceof DemoError ? `demo: ${err.message}` : err);
  process.exit(1);
});
