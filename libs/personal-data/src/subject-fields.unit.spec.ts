import { randomBytes, randomUUID } from 'node:crypto';
import { subjectsCopy, subjectsNamedIn } from './subject-fields';

/** A value as the event store keeps a sealed personal field (its contents do not matter here). */
const sealed = (subjectId: string) => `pd1.${subjectId}.${randomBytes(12).toString('base64url')}.${randomBytes(24).toString('base64url')}`;

describe("one subject's copy of a stored event", () => {
  const siti = randomUUID();
  const budi = randomUUID();
  const chanda = randomUUID();

  it('names the subjects whose sealed fields it holds, from the ids they keep in clear', () => {
    const data = { workshopId: 'w', invitations: [{ invitationId: 'a', email: sealed(siti) }, { invitationId: 'b', email: sealed(budi) }], note: 'pd1.not-a-subject' };
    expect([...subjectsNamedIn(data)].sort()).toEqual([siti, budi].sort());
    expect(subjectsNamedIn({ workshopId: 'w' }).size).toBe(0);
  });

  it("keeps the subject's own entry of a list and leaves the other people's entries out whole", () => {
    const own = { invitationId: 'a', email: sealed(siti) };
    const data = { workshopId: 'w', invitations: [{ invitationId: 'b', email: sealed(budi) }, own, { invitationId: 'c', email: sealed(chanda) }] };
    expect(subjectsCopy(data, siti)).toEqual({ workshopId: 'w', invitations: [own] });
    for (const other of [budi, chanda, '"b"', '"c"']) expect(JSON.stringify(subjectsCopy(data, siti))).not.toContain(other);
  });

  it("leaves out someone else's field and someone else's nested object, and keeps what is no one's", () => {
    const mine = sealed(siti);
    const data = { country: 'ID', email: mine, reason: sealed(budi), contact: { userId: 'u-budi', fullName: sealed(budi), language: 'en' }, sessions: ['s1'] };
    expect(subjectsCopy(data, siti)).toEqual({ country: 'ID', email: mine, sessions: ['s1'] });
  });

  it('keeps an event whole when it is all the subject\'s', () => {
    const data = { invitationId: 'a', fullName: sealed(siti), email: sealed(siti), position: null, country: 'ID' };
    expect(subjectsCopy(data, siti)).toEqual(data);
  });
});
