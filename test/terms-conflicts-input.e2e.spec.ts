import fc from 'fast-check';
import { waitFor } from '@passerelle/testing';
import type { Response } from 'supertest';
import {
  BAD_IDS,
  UNKNOWN_ID,
  checkRandomBodies,
  errorsOf,
  expectFieldsNamed,
  expectProblem,
  expectRequired,
  fieldsOf,
  nested,
  notNullMostlyNumbers,
  oddText,
  randomBodies,
  type Rules,
  withDeep,
} from './support/bad-input';
import { type Callers, setUpCallers, workshopIn } from './support/callers';
import { queryRows } from './support/sql';
import { type Stack, startStack } from './support/stack';

/**
 * DESIGN.md principle 7 for what issue 21 added and the other input specs do not cover: renewing a
 * partnership and correcting its term (named bad bodies, bad path ids, deep nesting, random bodies
 * checked field by field), and random query strings on the workbooks (`country`, `language`, `callId`)
 * and on reads of the past (`asOf`, `version`): a 400 problem+json naming the fields, never a 5xx, and
 * nothing refused appends an event. (Conflict declarations are in proposals-input.e2e.spec.ts.)
 */

type Headers = Record<string, string>;

describe('bad input to partnership terms, the workbooks and reads of the past', () => {
  let stack: Stack;
  let c: Callers;
  let staff: Headers;
  let requests = 0;
  /** Partnerships: one per endpoint for the named cases, one for the random bodies. */
  const partnerships = { renew: { named: '', random: '' }, term: { named: '', random: '' } };
  let proposalId: string;
  let workshopId: string;

  beforeAll(async () => {
    stack = await startStack('terms_conflicts_input', { env: { APPROVALS_REQUIRED: '1' } });
    c = await setUpCallers(stack);
    staff = c.staffHeaders;
    for (const endpoint of ['renew', 'term'] as const) {
      for (const use of ['named', 'random'] as const) partnerships[endpoint][use] = await c.partnership('active');
    }
    proposalId = await c.proposal('submitted');
    workshopId = (await workshopIn(stack, 'planned')).id;
    // The read models hold them all (with both sessions, and the proposal submitted) before the worker stops.
    await waitFor(
      async () => {
        const workshop = await stack.http.get(`/api/workshops/${workshopId}`).set(staff);
        const proposal = await stack.http.get(`/api/proposals/${proposalId}`).set(staff);
        return workshop.body.sessions?.length === 2 && proposal.body.status === 'submitted';
      },
      { timeoutMs: 20_000, what: 'the workshop and the proposal in the read models' },
    );
    // Everything the worker had to do is done: stopped, it appends nothing behind the tests' backs.
    await stack.stopWorker();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const countEvents = async () => (await queryRows<{ n: number }>(stack.db.url, 'SELECT count(*)::int AS n FROM events'))[0].n;

  type Method = 'post' | 'patch';
  /** A JSON text as it is (undefined: no body), optionally with an Idempotency-Key. */
  function send(method: Method, path: string, text: string | undefined, idempotencyKey?: string) {
    requests += 1;
    let request = stack.http[method](path).set(staff);
    if (idempotencyKey) request = request.set('Idempotency-Key', idempotencyKey);
    return text === undefined ? request : request.set('Content-Type', 'application/json').send(text);
  }

  /** A 400 naming exactly `fields`, and not one event more. */
  async function expectBadInput(method: Method, path: string, body: unknown, fields: string[], raw?: string): Promise<Response> {
    const before = await countEvents();
    const response = await send(method, path, raw ?? JSON.stringify(body));
    expectFieldsNamed(response, fields);
    expect(await countEvents()).toBe(before);
    return response;
  }

  const renew = (id: string) => `/api/partnerships/${id}/renew`;
  const term = (id: string) => `/api/partnerships/${id}/term`;

  it('POST /api/partnerships/:id/renew names exactly the missing, wrong-typed, unknown and impossible fields', async () => {
    const path = renew(partnerships.renew.named);
    expectRequired(await expectBadInput('post', path, {}, ['endsOn']), ['endsOn']);
    expect(errorsOf(await expectBadInput('post', path, { endsOn: 20990101 }, ['endsOn']))).toEqual([{ field: 'endsOn', message: 'endsOn must be a date written YYYY-MM-DD' }]);
    for (const endsOn of [null, true, ['2099-01-01'], { date: '2099-01-01' }, '', '2099-1-1', '2099-02-29', '2099-12-32', '2099-01-01T00:00:00Z', ' 2099-01-01', '2099-01-01\u0000', '\ud800', '+2099-01-01', '0000-01-01']) {
      await expectBadInput('post', path, { endsOn }, ['endsOn']);
    }
    await expectBadInput('post', path, { endsOn: '2099-01-01', startsOn: '2020-01-01' }, ['startsOn']);
    await expectBadInput('post', path, { endsOn: '2099-01-01', status: 'active', version: 1 }, ['status', 'version']);
    await expectBadInput('post', path, { endsOn: 'soon', reason: 'x' }, ['endsOn', 'reason']);
    // A list where an object is expected: its item is no field, and endsOn is missing.
    await expectBadInput('post', path, undefined, ['0', 'endsOn'], '["2099-01-01"]');
    await expectBadInput('post', path, undefined, ['endsOn'], withDeep({}, 'endsOn', nested(20_000, '[', '', ']')));
    await expectBadInput('post', path, undefined, ['x'], withDeep({ endsOn: '2099-01-01' }, 'x', nested(20_000, '{"a":', '1', '}')));
    // What is refused changed nothing: the partnership renews as it would have.
    const renewed = await send('post', path, JSON.stringify({ endsOn: '2099-01-01' }));
    expect(renewed.status).toBe(200);
  });

  it('PATCH /api/partnerships/:id/term names exactly the offending fields; an empty body names startsOn', async () => {
    const path = term(partnerships.term.named);
    expectRequired(await expectBadInput('patch', path, {}, ['startsOn']), ['startsOn']);
    for (const bad of [null, 7, false, ['2025-01-01'], {}, '', '2025-13-01', '2025-02-29', '01/02/2025', '2025-01-01\u0000', '0000-01-01']) {
      await expectBadInput('patch', path, { startsOn: bad }, ['startsOn']);
      await expectBadInput('patch', path, { endsOn: bad }, ['endsOn']);
      await expectBadInput('patch', path, { startsOn: bad, endsOn: '2099-06-30' }, ['startsOn']);
    }
    await expectBadInput('patch', path, { startsOn: 'x', endsOn: 'y', status: 'expired' }, ['startsOn', 'endsOn', 'status']);
    await expectBadInput('patch', path, { startsOn: '2025-01-01', constructor: 'x' }, ['constructor']);
    await expectBadInput('patch', path, undefined, ['startsOn'], '[]');
    await expectBadInput('patch', path, undefined, ['startsOn'], withDeep({}, 'startsOn', nested(20_000, '[', '', ']')));
    const changed = await send('patch', path, JSON.stringify({ startsOn: '2025-01-01', endsOn: '2099-06-30' }));
    expect(changed.status).toBe(200);
  });

  it.each([
    ['post', renew, { endsOn: '2099-01-01' }],
    ['patch', term, { startsOn: '2025-01-01' }],
  ] as const)('%s %p: an id that is not a UUID is a 400 naming it, an unknown one a 404, neither appends an event', async (method, path, body) => {
    for (const bad of BAD_IDS) await expectBadInput(method, path(bad), body, ['id']);
    const before = await countEvents();
    expectProblem(await send(method, path(UNKNOWN_ID), JSON.stringify(body)), 404);
    expect(await countEvents()).toBe(before);
  });

  describe('random bodies (fast-check, 200 each): offending fields named, never a 5xx, nothing refused appends an event', () => {
    const date = { type: 'token' } as const;
    const target = (method: Method, path: () => string) => ({
      send: (text: string | undefined, idempotencyKey: string | undefined) => send(method, path(), text, idempotencyKey),
      requests: () => requests,
      countEvents,
    });
    const mutations = { tokenMax: 10, notNull: notNullMostlyNumbers };

    it('POST /api/partnerships/:id/renew', async () => {
      const rules: Rules = { endsOn: date };
      await checkRandomBodies(target('post', () => renew(partnerships.renew.random)), randomBodies({ endsOn: '2099-01-01' }, rules, mutations));
    });

    it('PATCH /api/partnerships/:id/term', async () => {
      const rules: Rules = { startsOn: { ...date, optional: true }, endsOn: { ...date, optional: true } };
      await checkRandomBodies(target('patch', () => term(partnerships.term.random)), randomBodies({ startsOn: '2025-01-01', endsOn: '2099-06-30' }, rules, mutations));
    });
  });

  /**
   * A query parameter and what the answer must make of it: `valid` (accepted), `invalid` (a 400 naming
   * it), or `either` (anything but a 5xx). `raw` is put in the query string as it is, not encoded.
   */
  interface Param {
    key: string;
    value: string;
    verdict: 'valid' | 'invalid' | 'either';
    raw?: boolean;
  }
  const param = (key: string, verdict: Param['verdict']) => (value: string): Param => ({ key, value, verdict });
  /** Every UTF-8 byte escaped (a lone surrogate as the replacement character, as a browser sends it). */
  const escaped = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const queryOf = (params: Param[]) => params.map((p) => (p.raw ? p.value : `${escaped(p.key)}=${escaped(p.value)}`)).join('&');

  /** Text that is no valid value of any parameter here. */
  const junk = fc.oneof(oddText, fc.string({ maxLength: 8 }), fc.string({ minLength: 300, maxLength: 600 }), fc.constantFrom("' OR '1'='1", '[$ne]', '../../etc/passwd', '%00', 'null', 'undefined', '[]', '{}'));
  /** Pieces of query string sent as they are: broken escapes, stray separators, brackets, keys without values. */
  const rawPiece = fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '&&', '=', '==x', 'a=b=c', 'country[]=ZM', 'country[$ne]=ZM', 'language[0]=en', '__proto__[x]=1', 'constructor=1', '%26=1', '+', 'asOf', 'version').map((value): Param => ({ key: '', value, verdict: 'either', raw: true }));
  /** A parameter no endpoint here takes: named in the 400. */
  const unknownParam = fc
    .oneof(fc.constantFrom('limit', 'cursor', 'callid', 'Country', 'format', 'file', 'when'), fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,11}$/))
    .filter((key) => !['country', 'language', 'callId', 'asOf', 'version'].includes(key))
    .chain((key) => fc.string({ maxLength: 6 }).map(param(key, 'invalid')));

  /** Random query strings: a few parameters drawn from `params`, now and then one twice (a list, refused). */
  function randomQueries(params: fc.Arbitrary<Param>): fc.Arbitrary<Param[]> {
    const one = fc.oneof({ weight: 6, arbitrary: params }, { weight: 1, arbitrary: unknownParam }, { weight: 1, arbitrary: rawPiece });
    return fc.array(one, { maxLength: 4 }).map((list) => {
      // A known parameter given twice arrives as a list: refused, the first and the second alike.
      const seen = new Map<string, Param[]>();
      for (const p of list) if (!p.raw) seen.set(p.key, [...(seen.get(p.key) ?? []), p]);
      return list.map((p) => (!p.raw && seen.get(p.key)!.length > 1 ? { ...p, verdict: p.verdict === 'either' ? 'either' : 'invalid' } : p));
    });
  }

  /**
   * 200 random query strings on `path`: never a 5xx, never an event; a 4xx is a problem+json; each
   * `invalid` parameter named in a 400, nothing named that was not sent; all `valid`: `accepted`.
   */
  async function checkRandomQueries(path: string, queries: fc.Arbitrary<Param[]>, accepted: (response: Response, params: Param[]) => void): Promise<void> {
    const before = await countEvents();
    await fc.assert(
      fc.asyncProperty(queries, async (params) => {
        const query = queryOf(params);
        requests += 1;
        const response = await stack.http.get(query ? `${path}?${query}` : path).set(staff).buffer(true).parse((answer, done) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const bytes = Buffer.concat(chunks);
            done(null, /json/.test(String(answer.headers['content-type'])) ? JSON.parse(bytes.toString('utf8') || 'null') : bytes);
          });
        });
        expect({ query, status: response.status }).toEqual({ query, status: expect.any(Number) });
        expect({ query, serverError: response.status >= 500 }).toEqual({ query, serverError: false });
        if (response.status >= 400) expect({ query, type: response.headers['content-type'] }).toEqual({ query, type: expect.stringMatching(/^application\/problem\+json/) });
        const invalid = params.filter((p) => p.verdict === 'invalid').map((p) => p.key);
        if (invalid.length > 0) {
          const named = fieldsOf(response);
          expect({ query, status: response.status, unnamed: invalid.filter((key) => !named.includes(key)) }).toEqual({ query, status: 400, unnamed: [] });
          if (!params.some((p) => p.raw)) expect({ query, strangers: named.filter((field) => !params.some((p) => p.key === field)) }).toEqual({ query, strangers: [] });
        } else if (params.every((p) => p.verdict === 'valid')) {
          accepted(response, params);
        }
      }),
      { numRuns: 200 },
    );
    expect(await countEvents()).toBe(before);
  }

  describe('random query strings (fast-check, 200 each)', () => {
    const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const country = fc.oneof(
      fc.constantFrom('ZM', 'sn', 'Id', 'CN').map(param('country', 'valid')),
      fc.constantFrom('', 'ZZ', 'XX', 'Zambia', 'Z', 'ZMB', 'Z M', '12', "ZM'--", 'ZM\u0000', 'ZM ').map(param('country', 'invalid')),
      junk.map(param('country', 'either')),
    );
    const language = fc.oneof(
      // The seven with texts, and well-formed tags without texts (answered in English, Content-Language saying so).
      fc.constantFrom('en', 'fr', 'ar', 'zh', 'ru', 'es', 'pt', 'de', 'sw').map(param('language', 'valid')),
      fc.constantFrom('', 'EN', 'english', 'en-GB', 'fr_FR', "fr'--", 'en\u0000').map(param('language', 'invalid')),
      junk.map(param('language', 'either')),
    );
    /** Any UUID is taken; what it limits is the workbook's business, not this test's. */
    const callId = fc.oneof(
      fc.uuid().map(param('callId', 'either')),
      fc.constantFrom('', 'call-1', '123', `${UNKNOWN_ID}0`, UNKNOWN_ID.replace(/-/g, ''), `{${UNKNOWN_ID}}`).map(param('callId', 'invalid')),
      junk.map(param('callId', 'either')),
    );
    const workbook = (response: Response, params: Param[]) => {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(XLSX);
      expect((response.body as Buffer).subarray(0, 2).toString('latin1')).toBe('PK');
      // Written in the language asked when it has texts, else in English, and the answer says which.
      const asked = params.filter((p) => p.key === 'language');
      if (asked.length === 1) expect(response.headers['content-language']).toBe(['de', 'sw'].includes(asked[0].value) ? 'en' : asked[0].value);
    };

    it.each(['/api/exports/proposals.xlsx', '/api/exports/partnerships.xlsx'])('GET %s: country, language, callId', async (path) => {
      await checkRandomQueries(path, randomQueries(fc.oneof(country, language, callId)), workbook);
    });

    it('GET /api/workshops/:id/participants.xlsx: country, language (a callId is not taken)', async () => {
      const noCall = fc.oneof(fc.uuid(), fc.constant('')).map(param('callId', 'invalid'));
      await checkRandomQueries(`/api/workshops/${workshopId}/participants.xlsx`, randomQueries(fc.oneof({ weight: 3, arbitrary: fc.oneof(country, language) }, { weight: 1, arbitrary: noCall })), workbook);
    });

    /**
     * A date and time with its offset, from year 100 to the last one four digits write. (The validator
     * refuses years 0 to 99 with a 400 naming asOf: no 5xx, so those are among the `either` values.)
     */
    const instant = fc
      .tuple(fc.date({ min: new Date('0100-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('Z', '+00:00', '+08:00', '-05:30', '+14:00', '-12:00'), fc.boolean())
      .map(([date, offset, millis]) => {
        const iso = date.toISOString();
        return `${millis ? iso.slice(0, 23) : iso.slice(0, 19)}${offset}`;
      });
    const asOf = fc.oneof(
      instant.map(param('asOf', 'valid')),
      fc.constantFrom('', 'yesterday', 'now', '2030-01-01', '2030-02-30T10:00:00Z', '2030-01-01T10:00:00', '2030-01-01T25:00:00Z', '2030-01-01 10:00:00Z', '1e12', '1704067200').map(param('asOf', 'invalid')),
      fc.constantFrom('0000-01-01T00:00:00Z', '0000-01-01T00:00:00+14:00', '0099-12-31T23:59:59Z', '0001-01-02T00:00:00-12:00', '9999-12-31T23:59:59-12:00', '2030-01-01T10:00:00+24:00', '2030-01-01T10:00:00.1234567Z', '2030-01-01T10:00:60Z').map(param('asOf', 'either')),
      junk.map(param('asOf', 'either')),
    );
    const version = fc.oneof(
      fc.oneof(fc.nat({ max: 12 }), fc.nat({ max: 2_147_483_647 })).map(String).map(param('version', 'valid')),
      fc.constantFrom('', '-1', '1.5', 'abc', '1e3', '0x10', '2147483648', '99999999999999999999', 'Infinity', 'NaN').map(param('version', 'invalid')),
      fc.constantFrom(' 1', '01', '+1', '１').map(param('version', 'either')),
      junk.map(param('version', 'either')),
    );
    /**
     * Both at once, each valid and nothing else wrong, is a 400 naming both; otherwise what is wrong is
     * named first (asOf and version may then be named or not).
     */
    const pastQueries = randomQueries(fc.oneof(asOf, version)).map((params) => {
      const past = params.filter((p) => !p.raw && (p.key === 'asOf' || p.key === 'version'));
      if (!(past.some((p) => p.key === 'asOf') && past.some((p) => p.key === 'version'))) return params;
      const othersFine = params.every((p) => past.includes(p) || (!p.raw && p.verdict === 'valid'));
      const verdict: Param['verdict'] = othersFine && past.every((p) => p.verdict === 'valid') ? 'invalid' : 'either';
      return params.map((p) => (past.includes(p) && p.verdict === 'valid' ? { ...p, verdict } : p));
    });
    /** Today's detail, or the past's: a 200 (with its version when asked of the past), or a 404 when it did not exist then. */
    const detail = (response: Response, params: Param[]) => {
      const past = params.some((p) => p.key === 'asOf' || p.key === 'version');
      const answered = { status: response.status, problem: response.status === 200 ? undefined : response.body?.detail, asOfVersion: response.headers['x-as-of-version'] };
      expect({ ok: past ? [200, 404].includes(response.status) : response.status === 200, asOfVersion: past && response.status === 200 ? /^\d+$/.test(answered.asOfVersion) : true, answered }).toEqual({ ok: true, asOfVersion: true, answered });
    };

    it.each([
      ['proposals', () => `/api/proposals/${proposalId}`],
      ['partnerships', () => `/api/partnerships/${partnerships.renew.named}`],
      ['workshops', () => `/api/workshops/${workshopId}`],
    ] as const)('GET /api/%s/:id with asOf and version', async (_, path) => {
      await checkRandomQueries(path(), pastQueries, detail);
    });
  });
});
