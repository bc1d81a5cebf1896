/**
 * The current time, as a Nest provider: code that decides by the time (token expiry) asks it instead
 * of `Date.now()`, so that a test can move time on instead of waiting for it to pass.
 */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
