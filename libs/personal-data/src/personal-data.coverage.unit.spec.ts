import * as path from 'node:path';
import type { PersonalDataRegistry, PersonalField } from '@passerelle/event-store-core';
import { type EventStringFields, eventStringFields, findEventsFiles } from '@passerelle/testing';
import { PERSONAL_DATA_REGISTRY } from './personal-data.registry';

/**
 * STYLE.md habit 5, checked against the types as the compiler sees them: every string field of every event
 * type of every `libs/<library>/src/domain/*.events.ts` is declared personal or not personal, and nothing
 * declared is stale. What is wrong is named: the event type, and the field.
 */
function coverageProblems(found: EventStringFields[], registry: PersonalDataRegistry): string[] {
  const problems: string[] = [];
  const foundTypes = new Set(found.map((event) => event.type));
  for (const event of found) {
    const entry = registry.get(event.type);
    if (!entry) {
      problems.push(`${event.type} (${event.file}) is in no context's personal-data declaration`);
      continue;
    }
    const declared = [...entry.fields.personal.map((field) => field.path), ...entry.fields.notPersonal];
    for (const field of event.paths) {
      if (!declared.includes(field)) problems.push(`${event.type}.${field} is a string field declared neither personal nor notPersonal`);
    }
    for (const field of new Set(declared)) {
      if (!event.paths.includes(field)) problems.push(`${event.type}.${field} is declared but is no string field of its data (stale)`);
      if (declared.filter((other) => other === field).length > 1) problems.push(`${event.type}.${field} is declared more than once`);
    }
  }
  for (const [type, { context, fields }] of registry) {
    if (!foundTypes.has(type)) problems.push(`${type} is declared by ${context} but no *.events.ts defines it (stale)`);
    for (const field of fields.personal) problems.push(...subjectProblems(type, context, field, registry));
  }
  return problems;
}

/** A personal field's subject is a personal field itself, of the same event or of an event of the same context. */
function subjectProblems(type: string, context: string, field: PersonalField, registry: PersonalDataRegistry): string[] {
  const { subject } = field;
  const [owner, subjectPath] = typeof subject === 'string' ? [type, subject] : [subject.fromEvent, subject.path];
  const ownerEntry = registry.get(owner);
  if (!ownerEntry || ownerEntry.context !== context) {
    return [`${type}.${field.path} names its subject in ${owner}, which ${context} does not declare`];
  }
  if (!ownerEntry.fields.personal.some((other) => other.path === subjectPath)) {
    return [`${type}.${field.path} names its subject at ${owner}.${subjectPath}, which is not declared personal`];
  }
  const arrayEnd = subjectPath.lastIndexOf('[]');
  if (typeof subject === 'string' && arrayEnd >= 0 && !field.path.startsWith(subjectPath.slice(0, arrayEnd + 2))) {
    return [`${type}.${field.path} names its subject at ${subjectPath}, inside an array the field is not in`];
  }
  return [];
}

describe('personal data declarations (STYLE.md habit 5)', () => {
  const root = path.resolve(__dirname, '../../..');
  const files = findEventsFiles(root);
  const found = eventStringFields(root, files);

  it('finds every events file of every context, and event types in each', () => {
    const relative = files.map((file) => path.relative(root, file));
    expect(relative).toEqual(
      expect.arrayContaining(['libs/invitations/src/domain/invitation.events.ts', 'libs/reporting/src/domain/report.events.ts']),
    );
    expect(relative.filter((file) => !found.some((event) => event.file === file))).toEqual([]);
    expect(found.find((event) => event.type === 'InvitationIssued')?.paths).toEqual(expect.arrayContaining(['fullName', 'email', 'position']));
    expect(found.find((event) => event.type === 'WorkshopParticipantsInvited')?.paths).toContain('invitations[].email');
  });

  it('declares every string field of every event type personal or not personal, and nothing stale', () => {
    expect(coverageProblems(found, PERSONAL_DATA_REGISTRY)).toEqual([]);
  });

  describe('names what is wrong', () => {
    const issued = { file: 'x.events.ts', union: 'InvitationEvent', type: 'InvitationIssued' };
    const declaredPaths = found.find((event) => event.type === 'InvitationIssued')!.paths;
    const issuedOnly: PersonalDataRegistry = new Map([['InvitationIssued', PERSONAL_DATA_REGISTRY.get('InvitationIssued')!]]);

    it('a string field in neither list', () => {
      const problems = coverageProblems([{ ...issued, paths: [...declaredPaths, 'nickname'] }], issuedOnly);
      expect(problems).toEqual(['InvitationIssued.nickname is a string field declared neither personal nor notPersonal']);
    });

    it('a declared field the event no longer has', () => {
      const withoutPosition = declaredPaths.filter((field) => field !== 'position');
      const problems = coverageProblems([{ ...issued, paths: withoutPosition }], issuedOnly);
      expect(problems).toEqual(['InvitationIssued.position is declared but is no string field of its data (stale)']);
    });

    it('an event type nobody declares, and a subject that is not personal', () => {
      const registry = new Map([
        ['Greeted', { context: 'greetings', fields: { personal: [{ path: 'name', subject: 'address' }], notPersonal: ['address'] } }],
      ]);
      const events = [
        { ...issued, type: 'Waved', paths: ['id'] },
        { ...issued, type: 'Greeted', paths: ['name', 'address'] },
      ];
      const problems = coverageProblems(events, registry);
      expect(problems).toEqual([
        'Waved (x.events.ts) is in no context\'s personal-data declaration',
        'Greeted.name names its subject at Greeted.address, which is not declared personal',
      ]);
    });
  });
});
