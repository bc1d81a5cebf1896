import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { InvitationEvent } from './invitation.events';

/** The participant's own address names them: every personal field of an invitation is theirs. */
const participant = 'email';

/**
 * Which fields of an invitation's events are personal (STYLE.md habit 5). The participant's name, address,
 * organisation and position are; their country and language are not, so that an erased participant still
 * counts in the figures by country. An SMTP bounce reason often quotes the address it bounced: personal,
 * and the participant's, named by the stream's `InvitationIssued`.
 */
export const invitationPersonalData: PersonalDataDeclaration<InvitationEvent> = {
  InvitationIssued: {
    personal: [
      { path: 'fullName', subject: participant },
      { path: 'email', subject: participant },
      { path: 'organization', subject: participant },
      { path: 'position', subject: participant },
    ],
    notPersonal: ['invitationId', 'workshopId', 'country', 'language', 'tokenHash', 'issuedAt'],
  },
  InvitationEmailed: { personal: [], notPersonal: ['invitationId', 'emailedAt', 'messageId'] },
  InvitationBounced: {
    personal: [{ path: 'reason', subject: { fromEvent: 'InvitationIssued', path: 'email' } }],
    notPersonal: ['invitationId', 'bouncedAt'],
  },
  InvitationAccepted: { personal: [], notPersonal: ['invitationId', 'respondedAt'] },
  InvitationDeclined: { personal: [], notPersonal: ['invitationId', 'respondedAt'] },
  InvitationReminded: { personal: [], notPersonal: ['invitationId', 'remindedAt', 'messageId'] },
  InvitationAttended: { personal: [], notPersonal: ['invitationId', 'sessionId'] },
};
