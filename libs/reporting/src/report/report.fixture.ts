import type { ReportSource } from './report.build';

/** Test data only: a concluded workshop with eight countries, names that need care, and proposals in every state. */

const uuid = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const FIXTURE_WORKSHOP_ID = uuid('a', 1);

const sessions = [
  { kind: 'study', title: 'Foundations of machine learning for public services', startsAt: '2025-10-21T09:00:00+08:00', endsAt: '2025-10-21T12:30:00+08:00', location: 'Main auditorium' },
  { kind: 'field_visit', title: 'Visit to the municipal health data centre', startsAt: '2025-10-22T09:30:00+08:00', endsAt: '2025-10-22T16:00:00+08:00', location: 'Pudong district' },
  { kind: 'roundtable', title: 'Governance, ethics and data protection', startsAt: '2025-10-23T10:00:00+08:00', endsAt: '2025-10-23T12:00:00+08:00', location: null },
  { kind: 'solutions_sharing', title: 'Solutions sharing: AI in healthcare and education', startsAt: '2025-10-23T14:00:00+08:00', endsAt: '2025-10-23T17:30:00+08:00', location: 'Exhibition hall B' },
  { kind: 'study', title: 'From pilot to national programme: scaling AI projects', startsAt: '2025-10-24T09:00:00+08:00', endsAt: '2025-10-24T11:30:00+08:00', location: null },
].map((s, i) => ({ sessionId: uuid('b', i + 1), ...s }));

/** Country, organisation, people (name, answer, sessions attended by index). */
const delegations: [string, string, [string, 'issued' | 'emailed' | 'bounced' | 'accepted' | 'declined', number[]][]][] = [
  ['KE', 'Ministry of Health, Digital Health Division', [['Wanjiru Kamau', 'accepted', [0, 1, 2, 3, 4]], ['Otieno Odhiambo', 'accepted', [0, 2, 3]], ['Achieng Atieno', 'declined', []]]],
  ['SN', 'Agence "Sénégal Numérique"', [['Aïssatou Ndiaye', 'accepted', [0, 1, 2, 3, 4]], ['Mamadou Diop', 'accepted', [1, 3]], ['Fatou Sow', 'emailed', []], ['Ibrahima Fall', 'accepted', [0]]]],
  ['VN', 'Bộ Thông tin và Truyền thông', [['Nguyễn Thị Hương', 'accepted', [0, 1, 2, 3, 4]], ['Trần Văn Đức', 'accepted', [0, 1, 2, 3]]]],
  ['ID', 'Kementerian Komunikasi dan Informatika', [['Siti Rahmawati', 'accepted', [0, 1, 2, 3, 4]], ['Budi Santoso', 'accepted', [0, 2]], ['Dewi Lestari', 'declined', []], ['Agus Pratama', 'bounced', []], ['Rina Wijaya', 'accepted', []]]],
  ['CI', 'Ministère de la Transition numérique', [['Kouadio Yao', 'accepted', [0, 1, 2, 3, 4]], ['Adjoua Koné', 'issued', []]]],
  ['BR', 'Ministério da Saúde', [['João Silva', 'accepted', [0, 3, 4]], ['Ana Paula Souza', 'accepted', [0, 1, 2, 3, 4]], ['Lucas Oliveira', 'declined', []]]],
  ['EG', 'Ministry of Communications and Information Technology', [['Mona Hassan', 'accepted', [0, 1, 2, 3, 4]], ['Ahmed El-Sayed', 'accepted', [0, 1, 2, 3]], ['Yasmin Farouk', 'accepted', [2, 3, 4]]]],
  ['MA', "Ministère de l'Éducation nationale", [['Youssef Benali', 'accepted', [0, 1, 2, 3, 4]]]],
];

const institutions = ['Institute for Digital Public Goods', 'Université Cheikh Anta Diop', 'Nairobi AI Lab', 'Green Futures Foundation'];

const proposals: [string, number, string[], string[], string, number, string | null][] = [
  ['AI-assisted screening in rural clinics', 0, ['healthcare'], ['KE', 'SN'], 'approved', 2, 'active'],
  ['Teacher training in data literacy', 1, ['education'], ['SN', 'CI', 'MA'], 'approved', 1, 'active'],
  ['Flood forecasting for river basins', 3, ['green development', 'agriculture'], ['VN', 'ID'], 'rejected', 1, null],
  ['Crop disease detection with smartphones', 2, ['agriculture'], ['KE', 'EG'], 'submitted', 1, null],
  ['Hospital triage assistant', 0, ['healthcare'], ['BR', 'EG', 'ID'], 'changes_requested', 1, null],
  ['Open data portal for public schools', 1, ['education', 'public administration'], ['BR'], 'withdrawn', 1, null],
  ['Energy demand forecasting for cities', 3, ['energy', 'green development'], ['VN', 'EG'], 'approved', 1, 'suspended'],
  ['Draft never submitted', 2, ['healthcare'], ['KE'], 'draft', 0, null],
];

export function fixtureSource(): ReportSource {
  let n = 0;
  const invitations = delegations.flatMap(([country, organization, people]) =>
    people.map(([fullName, status, attended]) => {
      n += 1;
      const email = `${fullName.normalize('NFD').replace(/[^a-zA-Z ]/g, '').toLowerCase().replace(/ +/g, '.')}@gov.${country.toLowerCase()}`;
      return {
        invitationId: uuid('c', n),
        country,
        organization,
        fullName,
        email,
        position: n % 3 ? 'Director' : null,
        status,
        attendedSessions: attended.map((i) => sessions[i].sessionId),
      };
    }),
  );
  return {
    workshop: {
      id: FIXTURE_WORKSHOP_ID,
      title: 'Artificial Intelligence for Public Health and Education',
      hostInstitution: 'Institute for International AI Cooperation',
      city: 'Shanghai',
      country: 'CN',
      startsOn: '2025-10-21',
      endsOn: '2025-10-24',
      themes: ['healthcare', 'education', 'green development'],
      status: 'concluded',
      timeZone: 'Asia/Shanghai',
    },
    sessions,
    solutions: [
      { solutionId: uuid('d', 1), sessionId: sessions[3].sessionId, company: 'MedVision', title: 'Early screening of diabetic retinopathy', sector: 'healthcare' },
      { solutionId: uuid('d', 2), sessionId: sessions[3].sessionId, company: 'EduGraph', title: 'Adaptive mathematics tutoring in local languages', sector: 'education' },
      { solutionId: uuid('d', 3), sessionId: sessions[3].sessionId, company: 'AgriSense', title: 'Satellite-based crop yield estimates', sector: 'agriculture' },
      { solutionId: uuid('d', 4), sessionId: sessions[3].sessionId, company: 'CityGrid', title: 'Forecasting urban energy demand', sector: 'energy' },
    ],
    invitations,
    proposals: proposals.map(([title, institution, sectors, countries, status, round, partnership], i) => ({
      proposalId: uuid('e', i + 1),
      title,
      institution: institutions[institution],
      sectors,
      countries,
      status,
      round,
      partnership: partnership ? { partnershipId: uuid('f', i + 1), status: partnership, establishedOn: `2025-11-0${i + 1}` } : null,
    })),
  };
}

/** Institutions' ids, for tests that write the fixture into the read-model tables. */
export const FIXTURE_INSTITUTIONS = institutions.map((name, i) => ({ id: uuid('9', i + 1), name }));
