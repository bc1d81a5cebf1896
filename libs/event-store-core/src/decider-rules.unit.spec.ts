import { notFound, type NotStarted, refuse, requireExisting, requireNew, requireStatus } from './decider-rules';
import { DomainError } from './errors';

/** A meeting room: booked, then in use, then released; only a booked or used room has a booker. */
type Room = NotStarted | { status: 'booked' | 'in_use'; bookedBy: string } | { status: 'released'; releasedAt: string };

/** Typed as any room, as a decider receives it (a constant would be narrowed to its own variant). */
const room = (state: Room): Room => state;
const none = room({ status: 'none' });
const booked = room({ status: 'booked', bookedBy: 'amina' });
const inUse = room({ status: 'in_use', bookedBy: 'kofi' });
const released = room({ status: 'released', releasedAt: '2025-10-25T18:00:00Z' });

function refusal(run: () => unknown): { name: string; code: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return { name: err.name, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('refuse', () => {
  it('throws a DomainError with the message and the code given', () => {
    expect(refusal(() => refuse('A room holds twelve at most', 'room_full'))).toEqual({ name: 'DomainError', code: 'room_full', message: 'A room holds twelve at most' });
  });
});

describe('notFound', () => {
  it('says the subject does not exist, with <subject>_not_found', () => {
    const err = notFound('room');
    expect(err).toBeInstanceOf(DomainError);
    expect({ code: err.code, message: err.message }).toEqual({ code: 'room_not_found', message: 'This room does not exist' });
  });
});

describe('requireStatus', () => {
  it('lets an allowed status through and narrows the state to it', () => {
    const state = inUse;
    requireStatus(state, ['booked', 'in_use'], 'room', 'release');
    // No cast: the compiler knows a booked or used room has a booker.
    const booker: string = state.bookedBy;
    expect(booker).toBe('kofi');
    // @ts-expect-error a booked or used room has no release time
    expect(state.releasedAt).toBeUndefined();
  });

  it('refuses a stream never started as not found, whatever is allowed', () => {
    expect(refusal(() => requireStatus(none, ['booked', 'in_use', 'released'], 'room', 'release'))).toEqual({
      name: 'DomainError',
      code: 'room_not_found',
      message: 'This room does not exist',
    });
  });

  it('refuses another status with <subject>_status, saying the status in words', () => {
    expect(refusal(() => requireStatus(released, ['booked', 'in_use'], 'room', 'release'))).toEqual({
      name: 'DomainError',
      code: 'room_status',
      message: 'Cannot release a room that is released',
    });
    expect(refusal(() => requireStatus(inUse, ['booked'], 'room', 'cancel the booking of'))).toEqual({
      name: 'DomainError',
      code: 'room_status',
      message: 'Cannot cancel the booking of a room that is in use',
    });
  });

  it('takes only the statuses the state has, never none', () => {
    // @ts-expect-error `none` is the stream not started: it is refused as not found, never allowed
    expect(() => requireStatus(booked, ['none'], 'room', 'book')).toThrow(DomainError);
    // @ts-expect-error not a status of a room
    expect(() => requireStatus(booked, ['open'], 'room', 'book')).toThrow(DomainError);
  });
});

describe('requireExisting', () => {
  it('lets any started status through and narrows the state to them', () => {
    const state = released;
    requireExisting(state, 'room');
    const status: 'booked' | 'in_use' | 'released' = state.status;
    expect(status).toBe('released');
  });

  it('refuses a stream never started as not found', () => {
    expect(refusal(() => requireExisting(none, 'room'))).toEqual({ name: 'DomainError', code: 'room_not_found', message: 'This room does not exist' });
  });
});

describe('requireNew', () => {
  it('lets a stream never started through', () => {
    expect(() => requireNew(none, 'room')).not.toThrow();
  });

  it('refuses a started one with <subject>_exists, whatever its status', () => {
    for (const state of [booked, inUse, released]) {
      expect(refusal(() => requireNew(state, 'room'))).toEqual({ name: 'DomainError', code: 'room_exists', message: 'This room already exists' });
    }
  });
});
