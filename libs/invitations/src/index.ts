export * from './domain/invitation.events';
export * from './domain/invitation.commands';
export { invitationDecider, initialInvitationState } from './domain/invitation.decider';
export type { InvitationState } from './domain/invitation.decider';
