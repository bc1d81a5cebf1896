import type { Response } from 'supertest';

/** The parts of an OpenAPI 3 schema that the API's document uses. */
export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
}
export interface Operation {
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const TYPES: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
};

/** A schema with its $ref and allOf resolved into one: the union of their properties and required fields. */
function resolved(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) return { ...resolved(document, document.components.schemas[schema.$ref.split('/').pop()!]), nullable: schema.nullable };
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((part) => resolved(document, part));
  return {
    ...parts.reduce((all, part) => ({ ...all, ...part }), {} as Schema),
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {}), schema.properties ?? {}),
    required: parts.flatMap((part) => part.required ?? []).concat(schema.required ?? []),
    nullable: schema.nullable,
  };
}

/** Where `value` departs from `schema`: a field it does not describe, a required one missing, another type, another value than its enum. */
export function departures(document: OpenApiDocument, schema: Schema, value: unknown, path = 'body'): string[] {
  const s = resolved(document, schema);
  if (value === null) return s.nullable ? [] : [`${path} is null`];
  if (s.enum && !s.enum.includes(value)) return [`${path} is ${JSON.stringify(value)}, not one of ${JSON.stringify(s.enum)}`];
  if (s.type === 'array' || s.items) {
    if (!Array.isArray(value)) return [`${path} is not a list`];
    return value.flatMap((item, index) => departures(document, s.items ?? {}, item, `${path}.${index}`));
  }
  if (s.type === 'object' || s.properties) {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${path} is not an object`];
    const record = value as Record<string, unknown>;
    const properties = s.properties ?? {};
    const undocumented = s.additionalProperties ? [] : Object.keys(record).filter((key) => !(key in properties)).map((key) => `${path}.${key} is not documented`);
    const missing = (s.required ?? []).filter((key) => record[key] === undefined).map((key) => `${path}.${key} is missing`);
    const inner = Object.entries(properties).flatMap(([key, property]) => (record[key] === undefined ? [] : departures(document, property, record[key], `${path}.${key}`)));
    return [...undocumented, ...missing, ...inner];
  }
  const check = s.type ? TYPES[s.type] : undefined;
  return check && !check(value) ? [`${path} is ${JSON.stringify(value)}, not a ${s.type}`] : [];
}

/** The answer to `route` (`POST /api/workshops/{id}/sessions`) has a status its operation documents, and the body that status describes. */
export function expectDocumented(document: OpenApiDocument, route: string, response: Response): void {
  const [method, path] = route.split(' ');
  const operation = document.paths[path]?.[method.toLowerCase()];
  expect({ route, documented: operation !== undefined }).toEqual({ route, documented: true });
  const answer = operation.responses[String(response.status)];
  expect({ route, status: response.status, documented: answer !== undefined }).toEqual({ route, status: response.status, documented: true });
  const type = String(response.headers['content-type'] ?? '').split(';')[0];
  const schema = answer.content?.[type]?.schema;
  expect({ route, type, described: schema !== undefined }).toEqual({ route, type, described: true });
  expect({ route, departures: departures(document, schema!, response.body) }).toEqual({ route, departures: [] });
}
