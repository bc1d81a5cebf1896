export type InvitationStatus = 'issued' | 'emailed' | 'bounced' | 'accepted' | 'declined';
export type RsvpResponse = 'accept' | 'decline';

export interface Participant {
  fullName: string;
  email: string;
  country: string;
  organization: string;
  position: string | null;
  language: string;
}

export type InvitationEvent =
  | {
      type: 'InvitationIssued';
      data: Participant & { invitationId: string; workshopId: string; tokenHash: string; issuedAt: string };
    }
  | { type: 'InvitationEmailed'; data: { invitationId: string; emailedAt: string; messageId: string } }
  | { type: 'InvitationBounced'; data: { invitationId: string; bouncedAt: string; reason: string } }
  | { type: 'InvitationAccepted'; data: { invitationId: string; respondedAt: string } }
  | { type: 'InvitationDeclined'; data: { invitationId: string; respondedAt: string } }
  | { type: 'InvitationReminded'; data: { invitationId: string; remindedAt: string; messageId: string } }
  | { type: 'InvitationAttended'; data: { invitationId: string; sessionId: string } };
