import { readFileSync, writeFileSync } from 'node:fs';
import { Clock } from '@passerelle/platform';

/**
 * A clock whose time is written in a file (an ISO 8601 moment), read at every look: a test moves the
 * time of worker processes it started by rewriting the file (`setFileClock`). Until the file names a
 * moment, it is the system's time.
 */
export class FileClock extends Clock {
  constructor(private readonly file: string) {
    super();
  }

  now(): number {
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8').trim();
    } catch {
      return Date.now();
    }
    const moment = Date.parse(text);
    return Number.isNaN(moment) ? Date.now() : moment;
  }
}

/** Moves the clock of the file to `moment`. */
export function setFileClock(file: string, moment: Date | number): void {
  writeFileSync(file, new Date(moment).toISOString());
}
