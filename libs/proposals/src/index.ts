export * from './domain/proposal.events';
export * from './domain/proposal.commands';
export { proposalDecider, initialProposalState } from './domain/proposal.decider';
export type { ProposalState } from './domain/proposal.decider';
