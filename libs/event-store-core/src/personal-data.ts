import type { DomainEvent } from './types';

/**
 * The paths of every string-typed field of an event's data, as a union of string literals: `fullName`,
 * `contact.email`, `invitations[].email`, `sectors[]` (`[]` steps into the elements of an array; a
 * `string[]` field's path ends with `[]`). Nullable and optional fields count (`position: string | null`),
 * and so do string-literal unions (`kind: 'pdf' | 'csv'`): they are strings once stored.
 */
export type StringPaths<T, Prefix extends string = ''> = [T] extends [never]
  ? never
  : T extends string
    ? Prefix
    : T extends readonly (infer Item)[]
      ? StringPaths<NonNullable<Item>, `${Prefix}[]`>
      : T extends object
        ? { [K in keyof T & string]-?: StringPaths<NonNullable<T[K]>, Prefix extends '' ? K : `${Prefix}.${K}`> }[keyof T & string]
        : never;

/**
 * Whose personal data a field is: the person known by an e-mail address (the data subject), named by
 * where that address is found.
 * - A path in the same event's data (`'email'`, `'contact.email'`): the address there is the subject's.
 *   An e-mail field is its own subject (`{ path: 'email', subject: 'email' }`). When the field and the
 *   subject path step into the same array (`invitations[].email`), the subject is the one of the same
 *   element.
 * - `{ fromEvent, path }`: the event does not hold the address itself; the subject is the one named at
 *   `path` by the `fromEvent` event of the same stream (an invitation's bounce reason belongs to the
 *   participant its `InvitationIssued` named).
 */
export type PersonalSubject<E extends DomainEvent, Data> =
  | StringPaths<Data>
  | { [T in E['type']]: { fromEvent: T; path: StringPaths<DataOf<E, T>> } }[E['type']];

/** A personal field of an event and whose it is. */
export interface PersonalField<Path extends string = string, Subject = string | { fromEvent: string; path: string }> {
  path: Path;
  subject: Subject;
}

/**
 * What one event type says of its string fields: which are `personal` (names, e-mail addresses, position,
 * the organisation of a person, free text a person wrote about themselves), each with its subject, and
 * which are `notPersonal` (ids, dates, codes, names of institutions and ministries, ...). Every string
 * field of the event's data is in exactly one of the two lists; a test over the compiled types of every
 * `*.events.ts` checks that none is forgotten and none is stale.
 */
export interface EventPersonalData<E extends DomainEvent = DomainEvent, Data = unknown> {
  personal: readonly PersonalField<StringPaths<Data>, PersonalSubject<E, Data>>[];
  notPersonal: readonly StringPaths<Data>[];
}

type DataOf<E extends DomainEvent, T extends E['type']> = Extract<E, { type: T }>['data'];

/**
 * A context's declaration of personal data: one entry for every event type of its union `E`, so the
 * compiler refuses a declaration that forgets an event type, names a field its data does not have, or
 * names a subject that is not one of its string fields. It is data, read by the encryption of personal
 * fields when events are appended and read, by erasure and by access requests.
 */
export type PersonalDataDeclaration<E extends DomainEvent> = {
  readonly [T in E['type']]: EventPersonalData<E, DataOf<E, T>>;
};

/** Any context's declaration, as the registry holds it. */
export type AnyPersonalData = { personal: readonly PersonalField[]; notPersonal: readonly string[] };

/** Event type to its declaration and the context that declared it, for every context of the product. */
export type PersonalDataRegistry = ReadonlyMap<string, { context: string; fields: AnyPersonalData }>;

/**
 * One registry from every context's declaration. An event type declared by two contexts is refused:
 * event types are stored and routed by their type string alone, so each names one shape.
 */
export function personalDataRegistry(contexts: Record<string, Record<string, AnyPersonalData>>): PersonalDataRegistry {
  const registry = new Map<string, { context: string; fields: AnyPersonalData }>();
  for (const [context, declaration] of Object.entries(contexts)) {
    for (const [type, fields] of Object.entries(declaration)) {
      const already = registry.get(type);
      if (already) throw new Error(`Event type ${type} is declared by both ${already.context} and ${context}`);
      registry.set(type, { context, fields });
    }
  }
  return registry;
}
