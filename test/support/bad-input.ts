import fc from 'fast-check';
import type { Client } from 'pg';
import type { Response } from 'supertest';

/** Bad input for the *-input e2e tests (DESIGN.md principle 7): named cases, and random bodies (fast-check). */

/** An id that no aggregate has. */
export const UNKNOWN_ID = '0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60';
/** Path ids that are not UUIDs: each must be a 400 naming the parameter. */
export const BAD_IDS = ['not-a-uuid', '12345', `${UNKNOWN_ID}0`, UNKNOWN_ID.replace(/-/g, ''), '%00', 'null'];

/** `value` without `keys`. */
export function without<T extends object>(value: T, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

/** `depth` levels of `open`…`close` around `inner`, as JSON text: deeper than JSON.stringify can go. */
export const nested = (depth: number, open: string, inner: string, close: string) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** `body` as JSON text with `field` set to the JSON text `deep`. */
export const withDeep = (body: object, field: string, deep: string) => JSON.stringify({ ...body, [field]: 0 }).replace(`${JSON.stringify(field)}:0`, `${JSON.stringify(field)}:${deep}`);

/** What PostgreSQL cannot store in an event (jsonb): the NUL character and unpaired surrogates. */
export const unstorable = (text: string) => !/^[^\u0000\uD800-\uDFFF]*$/u.test(text);

/** How many events the store holds (`where`: an SQL condition on them). */
export async function countEvents(db: Client, where = 'true'): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE ${where}`)).rows[0].n;
}

/** The fields a problem+json names, each once, sorted. */
export function fieldsOf(response: Response): string[] {
  const errors: { field: string }[] = Array.isArray(response.body?.errors) ? response.body.errors : [];
  return [...new Set(errors.map((error) => error.field))].sort();
}

/** The field errors of a problem+json, sorted by field (a field's own messages in their order). */
export function errorsOf(response: Response): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = Array.isArray(response.body?.errors) ? response.body.errors : [];
  return [...errors].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/** What a missing field is told, `contact.email` by its own name: `email is required`. */
export const requiredMessage = (field: string) => `${field.split('.').pop()} is required`;

/** Each of `fields` was left out: one message each, that it is required (and nothing else named). */
export function expectRequired(response: Response, fields: string[]): void {
  expectFieldsNamed(response, fields);
  expect(errorsOf(response)).toEqual([...fields].sort().map((field) => ({ field, message: requiredMessage(field) })));
}

/** A 400 validation problem+json naming exactly `fields`. */
export function expectFieldsNamed(response: Response, fields: string[]): void {
  expect({ status: response.status, fields: fieldsOf(response) }).toEqual({ status: 400, fields: [...new Set(fields)].sort() });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.stringMatching(/validation-error$/), title: 'Invalid request', status: 400, detail: expect.any(String) });
  for (const error of response.body.errors) expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
}

/** A problem+json of `status` with a detail. */
export function expectProblem(response: Response, status: number): void {
  expect({ status: response.status, detail: response.body?.detail }).toEqual({ status, detail: expect.any(String) });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

/**
 * Keys that Nest's ValidationPipe (`stripProtoKeys`: __proto__, constructor, prototype) and class-transformer
 * (names of Object.prototype's members) drop before class-validator sees them; the platform's pipe refuses
 * them as unknown fields all the same. Only `__proto__` cannot be set as a field by assignment (it sets the
 * prototype), so the "unknown field" mutation uses any name but that one.
 */
export const SILENTLY_DROPPED = new Set(['__proto__', 'constructor', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);
/** The placeholder `toText` replaces with deep nesting. */
export const DEEP = '\u0001deep\u0001';

export type Path = (string | number)[];
/** May the field be left out, or sent as null? */
export type Presence = { optional?: boolean; nullable?: boolean };
/** A field: text (trimmed, at most `max`; `anyText`: storable or not, as a password), a token (a code, date, id, e-mail, URL), a number it `accepts`, a boolean, a list or an object. */
export type Rule = Presence &
  (
    | { type: 'text'; max: number; anyText?: boolean }
    | { type: 'token' }
    | { type: 'number'; accepts: (n: number) => boolean }
    | { type: 'boolean' }
    | { type: 'list'; oversize?: unknown[] }
    | { type: 'object' }
  );
/** Rules by path, `*` standing for any list index. */
export type Rules = Record<string, Rule>;

/** A random request body. */
export interface Case {
  what: string;
  body: unknown;
  /** Where the body has the DEEP placeholder: nested `depth` levels of `open`…`close` in the JSON text. */
  deep?: { depth: number; open: string; close: string; inner: string };
  /** When the mutation makes the body invalid: the field a 400 must name (or one within or around it). */
  offending?: string;
  /** When the mutation leaves out a field that must be there: the field, which must get one message, that it is required. */
  required?: string;
}

/**
 * Deep nesting of arrays or objects, from shallow to far deeper than a parser should go; at least two
 * levels, since one level of array is `[]`, which a list field may rightly accept.
 */
export const deepNesting = fc.record({ depth: fc.oneof(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1_000, max: 60_000 })), kind: fc.constantFrom('array', 'object') }).map(({ depth, kind }) => (kind === 'array' ? { depth, open: '[', close: ']', inner: '' } : { depth, open: '{"a":', close: '}', inner: '1' }));
/** A field name not `taken`: now and then one of those the transform to a DTO would drop. */
export const unknownKey = (taken: string[]) =>
  fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom(...SILENTLY_DROPPED)).filter((key) => key !== '__proto__' && !taken.includes(key));
/** Numbers near the edges: large, small, fractional, written with an exponent. */
export const numbers = fc.oneof(fc.integer(), fc.integer({ min: -2, max: 130 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom(1e-7, 5e-324, -2e-10, 0.005, 0.01, 1e12, 1e12 + 0.5, 1e21, 2 ** 53));
/** JSON that is not a number (nor null). */
export const notNumber = fc.oneof(fc.boolean(), fc.string({ maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
/** JSON that is neither null, text nor a list: a number, a boolean or an object, evenly. */
export const notNull = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
/** The same kinds as `notNull`, a number two times in three. */
export const notNullMostlyNumbers = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), notNumber.filter((v) => typeof v !== 'string' && !Array.isArray(v)));
/** `notNull`, null or a list: another type than a text's or a token's. */
export const otherTypeThan = (notNullValue: fc.Arbitrary<unknown>) => fc.oneof(notNullValue, fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
/** Characters that trip text handling: NUL, lone surrogates, BOM, bidi, joiners, astral. */
export const oddUnit = fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ufeff', '\u202e', '\u200d', '\u0301', '\u2028', '\u000b', '\u00a0', 'ﷺ', '𝕏', '👩‍👩‍👧', '\u{10ffff}', 'é', ' ');
/** Short texts made of odd units and random ones. */
export const oddText = fc.array(fc.oneof(oddUnit, fc.string({ unit: 'binary', maxLength: 3 }), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));

/** A case's JSON text, its DEEP placeholder nested (undefined: no body). */
export function toText(c: Case): string | undefined {
  if (c.body === undefined) return undefined;
  const json = JSON.stringify(c.body);
  if (!c.deep) return json;
  const { depth, open, close, inner } = c.deep;
  return json.replace(JSON.stringify(DEEP), nested(depth, open, inner, close));
}

/** The rule for a path, list indexes as `*`. */
export function ruleOf(rules: Rules, path: Path): Rule | undefined {
  return rules[path.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.')];
}

/** Every place in the body a mutation may touch: its fields, list items and their fields. */
export function placesIn(value: unknown, rules: Rules, path: Path = []): { path: Path; rule: Rule }[] {
  const children: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : value && typeof value === 'object' ? Object.entries(value) : [];
  return children.flatMap(([segment, child]) => {
    const rule = ruleOf(rules, [...path, segment]);
    return rule ? [{ path: [...path, segment], rule }, ...placesIn(child, rules, [...path, segment])] : [];
  });
}

/** A deep copy of JSON. */
export const copyOf = <T>(value: T): T => JSON.parse(JSON.stringify(value));
/** The value at `path` in `body`. */
export const valueAt = (body: unknown, path: Path) => path.reduce<unknown>((value, segment) => (value as Record<string | number, unknown>)[segment], body);

/** A copy of `body` with `value` at `path` (or, with `drop`, nothing there). */
export function change(body: unknown, path: Path, value: unknown, drop = false): unknown {
  const copy = copyOf(body) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (drop) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** How to mutate: the longest a token may be, and the values of another type for a list (null too for the rest). */
export type Mutations = { tokenMax: number; notNull: fc.Arbitrary<unknown> };

/** A valid body changed in one place, knowing whether that made it invalid and where. */
export function mutated(valid: unknown, rules: Rules, { tokenMax, notNull: notNullValue }: Mutations): fc.Arbitrary<Case> {
  const join = (path: Path) => path.join('.');
  const otherType = otherTypeThan(notNullValue);
  const places = placesIn(valid, rules);
  const objects: Path[] = [[], ...places.filter((place) => place.rule.type === 'object').map((place) => place.path)];
  const addUnknown = fc.constantFrom(...objects).chain((path) => {
    const target = valueAt(valid, path) as Record<string, unknown>;
    return fc.tuple(unknownKey(Object.keys(target)), fc.jsonValue({ maxDepth: 2 })).map(([key, value]): Case => ({
      what: `unknown field ${JSON.stringify(key)}`,
      body: change(valid, [...path, key], value),
      offending: join([...path, key]),
    }));
  });
  if (places.length === 0) return fc.oneof({ weight: 1, arbitrary: fc.constant({ what: 'valid', body: valid }) }, { weight: 4, arbitrary: addUnknown });
  const changeOne = fc.constantFrom(...places).chain(({ path, rule }) => {
    const at = join(path);
    const isItem = typeof path[path.length - 1] === 'number';
    const changedTo = (values: fc.Arbitrary<unknown>) =>
      values.map((value) => ({ what: `changed to ${JSON.stringify(value)}`, body: change(valid, path, value), offending: value === null && rule.nullable ? undefined : at }));
    const options: fc.Arbitrary<Case>[] = [
      fc.integer({ min: 1, max: 40 }).map((levels) => ({ what: `wrapped in ${levels} arrays`, body: change(valid, path, Array.from({ length: levels }).reduce<unknown>((value) => [value], copyOf(valueAt(valid, path)))), offending: at })),
      deepNesting.map((deep) => ({ what: `nested ${deep.depth} deep`, body: change(valid, path, DEEP), deep, offending: at })),
    ];
    if (rule.type === 'boolean') {
      // Only true and false: "true", 1 and null are as wrong as an object.
      options.push(changedTo(fc.oneof(fc.constantFrom('true', 'false', 0, 1), fc.string({ maxLength: 5 }), numbers, otherType.filter((value) => typeof value !== 'boolean'))));
    } else if (rule.type === 'number') {
      options.push(
        numbers.map((value) => ({ what: `changed to ${value}`, body: change(valid, path, value), offending: rule.accepts(value) ? undefined : at })),
        changedTo(fc.oneof(notNumber, fc.constant(null))),
      );
    } else {
      options.push(changedTo(rule.type === 'list' ? notNullValue : otherType));
    }
    if (!isItem) options.push(fc.constant({ what: 'dropped', body: change(valid, path, undefined, true), offending: rule.optional ? undefined : at, required: rule.optional ? undefined : at }));
    if (rule.type === 'text' || rule.type === 'token') {
      const max = rule.type === 'text' ? rule.max : tokenMax;
      const anyText = rule.type === 'text' && rule.anyText;
      options.push(
        fc.integer({ min: 0, max: 600 }).chain((extra) =>
          fc.string({ minLength: max + extra, maxLength: max + extra }).map((s) => ({ what: `${max + extra + 2} characters`, body: change(valid, path, `[${s}]`), offending: at })),
        ),
        oddText.map((odd) => ({ what: `odd text ${JSON.stringify(odd)}`, body: change(valid, path, odd), offending: unstorable(odd) && !anyText ? at : undefined })),
      );
    }
    if (rule.type === 'list' && rule.oversize) {
      options.push(fc.constant({ what: `${rule.oversize.length} items`, body: change(valid, path, rule.oversize), offending: at }));
    }
    return fc.oneof(...options);
  });
  // Now and then the valid body itself, so that accepted requests (and their events) are among the runs.
  return fc.oneof({ weight: 1, arbitrary: fc.constant({ what: 'valid', body: valid }) }, { weight: 2, arbitrary: addUnknown }, { weight: 8, arbitrary: changeOne });
}

/** Bodies of any shape: anything, objects, JSON, the valid body with random fields, a deep array. */
export function anyBody(valid: unknown): fc.Arbitrary<Case> {
  return fc.oneof(
    fc.anything().map((body) => ({ what: 'anything', body })),
    fc.object().map((body) => ({ what: 'object', body })),
    fc.jsonValue().map((body) => ({ what: 'JSON', body })),
    fc.object({ maxDepth: 2 }).map((extra) => ({ what: 'valid plus random fields', body: { ...(valid as object), ...extra } })),
    deepNesting.map((deep) => ({ what: 'a deep array', body: DEEP, deep: { ...deep, open: '[', close: ']', inner: '' } })),
  );
}

/** Random bodies for an endpoint that takes `valid`: any shape now and then, mostly `valid` mutated. */
export const randomBodies = (valid: unknown, rules: Rules, mutations: Mutations) => fc.oneof({ weight: 1, arbitrary: anyBody(valid) }, { weight: 2, arbitrary: mutated(valid, rules, mutations) });

/** An endpoint under random bodies: how to send one, how many requests so far (`{RUN}`), how many events. */
export type RandomTarget = { send(text: string | undefined, idempotencyKey: string | undefined): PromiseLike<Response>; requests(): number; countEvents(): Promise<number> };

/** 200 random bodies: never a 5xx, nothing refused appends an event, an `offending` field is named, a `required` one told so once. */
export async function checkRandomBodies(to: RandomTarget, cases: fc.Arbitrary<Case>, expectations: (c: Case, response: Response) => void = () => undefined) {
  await fc.assert(
    fc.asyncProperty(cases, fc.boolean(), async (c, withKey) => {
      const run = to.requests();
      const body = toText(c)?.replaceAll('{RUN}', String(run));
      const before = await to.countEvents();
      const response = await to.send(body, withKey ? `random-${run}` : undefined);
      const appended = (await to.countEvents()) - before;
      expect(response.status).toBeLessThan(500);
      if (response.status >= 400) {
        expect({ status: response.status, appended }).toEqual({ status: response.status, appended: 0 });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      if (c.offending !== undefined) {
        const offending = c.offending;
        const fields = fieldsOf(response);
        const unrelated = fields.filter((field) => !(field === offending || offending.startsWith(`${field}.`) || field.startsWith(`${offending}.`)));
        expect({ status: response.status, named: fields.length > 0, unrelated }).toEqual({ status: 400, named: true, unrelated: [] });
      }
      if (c.required !== undefined) {
        const required = c.required;
        expect(errorsOf(response).filter((error) => error.field === required)).toEqual([{ field: required, message: requiredMessage(required) }]);
      }
      expectations(c, response);
    }),
    { numRuns: 200 },
  );
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Random bodies for an endpoint that takes none: every one but an empty object (the one valid request). */
export function bodylessCases(): fc.Arbitrary<Case> {
  return fc
    .oneof(
      anyBody({}),
      fc.dictionary(fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 6 })), fc.jsonValue(), { minKeys: 1, maxKeys: 5 }).map((body) => ({ what: 'fields', body })),
      fc.tuple(fc.string(), deepNesting).map(([key, deep]): Case => ({ what: 'a deep field', body: { [key]: DEEP }, deep })),
    )
    .filter((c) => {
      const json = toText(c);
      return json !== undefined && !(isObject(JSON.parse(json)) && Object.keys(JSON.parse(json)).length === 0);
    });
}

/** A body sent where none is taken: a 400 naming its fields (`body` for a list). */
export function expectBodyRefused(c: Case, response: Response): void {
  const value: unknown = JSON.parse(toText(c)!);
  expect(response.status).toBe(400);
  if (Array.isArray(value)) expect(fieldsOf(response)).toEqual(['body']);
  else if (isObject(value)) expect(fieldsOf(response)).toEqual(Object.keys(value).sort());
  // JSON that is not an object or array: refused by the body parser, with no field to name.
  else expect(response.body.errors).toBeUndefined();
}
