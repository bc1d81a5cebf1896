import { type Decider, type DomainEvent, DomainError } from '@passerelle/event-store-core';

/**
 * Given / when / then for deciders: given past events, when a command, then these events
 * (or a refusal with this code). Pure: no database, no clock.
 */
export function deciderSpec<C, S, E extends DomainEvent>(decider: Decider<C, S, E>) {
  return (given: E[] = []) => ({
    when(command: C) {
      const state = given.reduce((s, e) => decider.evolve(s, e), decider.initialState());
      const run = () => decider.decide(command, state);
      return {
        then(expected: E[]) {
          expect(run()).toEqual(expected);
        },
        thenNothing() {
          expect(run()).toEqual([]);
        },
        /** A refusal with this code, and with these words when given (clients show them). */
        thenRefuses(code: string, message?: string) {
          let refusal: unknown;
          try {
            run();
          } catch (err) {
            refusal = err;
          }
          expect(refusal).toBeInstanceOf(DomainError);
          expect((refusal as DomainError).code).toBe(code);
          if (message !== undefined) expect((refusal as DomainError).message).toBe(message);
        },
      };
    },
  });
}
