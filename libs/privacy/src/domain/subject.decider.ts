import { type Decider, refuse } from '@passerelle/event-store-core';
import type { SubjectCommand, SubjectEvent } from './subject.events';

export interface SubjectState {
  erasedAt: string | null;
}

/** A subject is erased once: a second erasure is refused (409 `already_erased`). */
export function decideSubject(command: SubjectCommand, state: SubjectState): SubjectEvent[] {
  if (state.erasedAt !== null) refuse(`Subject ${command.subjectId} was erased at ${state.erasedAt}`, 'already_erased');
  const { type: _type, ...data } = command;
  return [{ type: 'PersonalDataErased', data }];
}

export const subjectDecider: Decider<SubjectCommand, SubjectState, SubjectEvent> = {
  initialState: () => ({ erasedAt: null }),
  decide: decideSubject,
  evolve: (state, event) => (event.type === 'PersonalDataErased' ? { erasedAt: event.data.erasedAt } : state),
};
