import { deciderSpec } from '@passerelle/testing';
import type { PartnerInstitutionCommand } from './partner-institution.commands';
import { partnerInstitutionDecider } from './partner-institution.decider';
import type { InstitutionContact, PartnerInstitutionEvent } from './partner-institution.events';

const spec = deciderSpec(partnerInstitutionDecider);
const P = 'pi-1';
const amina: InstitutionContact = { userId: 'u-1', fullName: 'Amina Diallo', email: 'Amina.Diallo@ucad.sn', language: 'fr' };
const kofi: InstitutionContact = { userId: 'u-2', fullName: 'Kofi Mensah', email: 'kofi@ucad.sn', language: 'en' };
const registered: PartnerInstitutionEvent = {
  type: 'InstitutionRegistered',
  data: { institutionId: P, name: 'Université Cheikh Anta Diop', country: 'SN', website: 'https://www.ucad.sn', contact: amina, registeredAt: '2025-09-01T08:00:00Z' },
};
const register: PartnerInstitutionCommand = { type: 'RegisterInstitution', ...registered.data, at: '2025-09-01T08:00:00Z' } as PartnerInstitutionCommand;
const at = '2025-09-02T08:00:00Z';
const add = (contact: InstitutionContact): PartnerInstitutionCommand => ({ type: 'AddContact', contact, at });
const added = (contact: InstitutionContact): PartnerInstitutionEvent => ({ type: 'InstitutionContactAdded', data: { institutionId: P, contact, addedAt: at } });

describe('partner institution decider', () => {
  describe('RegisterInstitution', () => {
    it('registers a new institution with its first contact', () => spec([]).when(register).then([registered]));
    it('registers one without a website', () =>
      spec([])
        .when({ ...register, website: null } as PartnerInstitutionCommand)
        .then([{ ...registered, data: { ...registered.data, website: null } } as PartnerInstitutionEvent]));
    it('refuses to register it twice', () => spec([registered]).when(register).thenRefuses('institution_exists', 'This institution already exists'));
  });

  describe('AddContact', () => {
    it('adds another contact', () => spec([registered]).when(add(kofi)).then([added(kofi)]));
    it('refuses for an unknown institution', () => spec([]).when(add(kofi)).thenRefuses('institution_not_found', 'This institution does not exist'));
    it('refuses the e-mail of the first contact, whatever its case', () =>
      spec([registered]).when(add({ ...kofi, email: 'amina.diallo@UCAD.SN' })).thenRefuses('duplicate_contact'));
    it('refuses the e-mail of a contact added later, whatever its case', () =>
      spec([registered, added(kofi)]).when(add({ ...kofi, userId: 'u-3', email: 'KOFI@ucad.sn' })).thenRefuses('duplicate_contact'));
    it('refuses a user who is already a contact, under another e-mail', () =>
      spec([registered]).when(add({ ...kofi, userId: amina.userId })).thenRefuses('duplicate_contact'));
  });

  it('holds nothing before it is registered', () => expect(partnerInstitutionDecider.initialState()).toEqual({ status: 'none' }));

  it('keeps the name, the country and the contacts with lower-cased e-mails', () => {
    const state = [registered, added(kofi)].reduce(partnerInstitutionDecider.evolve, partnerInstitutionDecider.initialState());
    expect(state).toEqual({
      status: 'registered',
      institutionId: 'pi-1',
      name: 'Université Cheikh Anta Diop',
      country: 'SN',
      contacts: [
        { userId: 'u-1', fullName: 'Amina Diallo', email: 'amina.diallo@ucad.sn', language: 'fr' },
        { userId: 'u-2', fullName: 'Kofi Mensah', email: 'kofi@ucad.sn', language: 'en' },
      ],
    });
  });
});
