import { deciderSpec } from '@passerelle/testing';
import { invitationDecider } from './invitation.decider';
import type { InvitationEvent } from './invitation.events';

const spec = deciderSpec(invitationDecider);
const I = 'i-1';
const participant = { fullName: 'Siti Rahma', email: 'siti@kominfo.go.id', country: 'ID', organization: 'Kominfo', position: null, language: 'en' };
const issued: InvitationEvent = {
  type: 'InvitationIssued',
  data: { invitationId: I, workshopId: 'w-1', ...participant, tokenHash: 'h', issuedAt: '2025-09-02T08:00:00Z' },
};
const emailed: InvitationEvent = { type: 'InvitationEmailed', data: { invitationId: I, emailedAt: '2025-09-02T08:01:00Z', messageId: 'm-1' } };
const bounced: InvitationEvent = { type: 'InvitationBounced', data: { invitationId: I, bouncedAt: '2025-09-02T08:01:00Z', reason: '550 no such user' } };
const at = '2025-09-03T10:00:00Z';
const accepted: InvitationEvent = { type: 'InvitationAccepted', data: { invitationId: I, respondedAt: at } };
const declined: InvitationEvent = { type: 'InvitationDeclined', data: { invitationId: I, respondedAt: at } };

describe('invitation decider', () => {
  it('issues an invitation once', () => {
    spec([]).when({ type: 'IssueInvitation', invitationId: I, workshopId: 'w-1', participant, tokenHash: 'h', at: '2025-09-02T08:00:00Z' }).then([issued]);
    spec([issued])
      .when({ type: 'IssueInvitation', invitationId: I, workshopId: 'w-1', participant, tokenHash: 'h', at })
      .thenRefuses('invitation_exists', 'This invitation already exists');
  });

  describe('recording the e-mail', () => {
    it('records it sent, once', () => {
      spec([issued]).when({ type: 'RecordEmailSent', messageId: 'm-1', at: '2025-09-02T08:01:00Z' }).then([emailed]);
      spec([issued, emailed]).when({ type: 'RecordEmailSent', messageId: 'm-2', at }).thenNothing();
    });
    it('records a bounce only while issued', () => {
      spec([issued]).when({ type: 'RecordEmailBounced', reason: '550 no such user', at: '2025-09-02T08:01:00Z' }).then([bounced]);
      spec([issued, emailed]).when({ type: 'RecordEmailBounced', reason: 'x', at }).thenNothing();
      spec([issued, bounced]).when({ type: 'RecordEmailSent', messageId: 'm', at }).thenNothing();
    });
    it('records a sent e-mail even after an answer, without changing the answer', () => {
      spec([issued, accepted]).when({ type: 'RecordEmailSent', messageId: 'm-1', at: '2025-09-02T08:01:00Z' }).then([emailed]);
      const state = [issued, accepted, emailed].reduce(invitationDecider.evolve, invitationDecider.initialState());
      expect(state).toEqual({ status: 'accepted', invitationId: 'i-1', workshopId: 'w-1', emailed: true, reminded: false, attendedSessions: new Set() });
    });
    it('refuses for an unknown invitation', () => {
      spec([]).when({ type: 'RecordEmailSent', messageId: 'm', at }).thenRefuses('invitation_not_found', 'This invitation does not exist');
      spec([]).when({ type: 'RecordEmailBounced', reason: 'x', at }).thenRefuses('invitation_not_found');
    });
  });

  describe('answering', () => {
    const respond = (response: 'accept' | 'decline', workshopStarted = false) => ({ type: 'Respond' as const, response, workshopStarted, at });
    it('accepts or declines, and the last answer counts', () => {
      spec([issued, emailed]).when(respond('accept')).then([accepted]);
      spec([issued, emailed]).when(respond('decline')).then([declined]);
      spec([issued, emailed, accepted]).when(respond('decline')).then([declined]);
      spec([issued, emailed, declined]).when(respond('accept')).then([accepted]);
    });
    it('changes nothing when the same answer comes again', () => spec([issued, emailed, accepted]).when(respond('accept')).thenNothing());
    it('takes an answer that arrives before the e-mail is recorded', () => spec([issued]).when(respond('accept')).then([accepted]));
    it('refuses answers once the workshop has started', () => spec([issued, emailed]).when(respond('accept', true)).thenRefuses('rsvp_closed'));
    it('refuses an answer to a bounced invitation', () => spec([issued, bounced]).when(respond('accept')).thenRefuses('invitation_bounced'));
    it('refuses for an unknown invitation', () => spec([]).when(respond('accept')).thenRefuses('invitation_not_found'));
  });

  it('records one reminder at most', () => {
    const reminded: InvitationEvent = { type: 'InvitationReminded', data: { invitationId: I, remindedAt: at, messageId: 'r-1' } };
    spec([issued, emailed]).when({ type: 'RecordReminderSent', messageId: 'r-1', at }).then([reminded]);
    spec([issued, emailed, reminded]).when({ type: 'RecordReminderSent', messageId: 'r-2', at }).thenNothing();
    spec([]).when({ type: 'RecordReminderSent', messageId: 'r', at }).thenRefuses('invitation_not_found');
  });

  it('holds nothing before it is issued, then what the e-mails and answers did', () => {
    expect(invitationDecider.initialState()).toEqual({ status: 'none' });
    const attended: InvitationEvent = { type: 'InvitationAttended', data: { invitationId: I, sessionId: 's-1' } };
    const reminded: InvitationEvent = { type: 'InvitationReminded', data: { invitationId: I, remindedAt: at, messageId: 'r-1' } };
    expect([issued].reduce(invitationDecider.evolve, invitationDecider.initialState())).toEqual({
      status: 'issued',
      invitationId: 'i-1',
      workshopId: 'w-1',
      emailed: false,
      reminded: false,
      attendedSessions: new Set(),
    });
    expect([issued, emailed, reminded, declined, accepted, attended].reduce(invitationDecider.evolve, invitationDecider.initialState())).toEqual({
      status: 'accepted',
      invitationId: 'i-1',
      workshopId: 'w-1',
      emailed: true,
      reminded: true,
      attendedSessions: new Set(['s-1']),
    });
  });

  it('marks attendance once per session, never for a bounced invitation', () => {
    const attended: InvitationEvent = { type: 'InvitationAttended', data: { invitationId: I, sessionId: 's-1' } };
    spec([issued, emailed, accepted]).when({ type: 'MarkAttended', sessionId: 's-1' }).then([attended]);
    spec([issued, emailed, accepted, attended]).when({ type: 'MarkAttended', sessionId: 's-1' }).thenNothing();
    spec([issued, bounced]).when({ type: 'MarkAttended', sessionId: 's-1' }).thenRefuses('invitation_bounced');
    spec([]).when({ type: 'MarkAttended', sessionId: 's-1' }).thenRefuses('invitation_not_found');
  });
});
