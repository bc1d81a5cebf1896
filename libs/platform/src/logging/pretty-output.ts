import type { DestinationStream } from 'pino';
import pinoPretty, { type MessageFormatFunc, type Prettifier } from 'pino-pretty';
import type { AppConfig } from '../config/app-config';

/**
 * Logs are read by a person when they go to a terminal outside production: one readable line each. Files,
 * pipes, CI and production get JSON lines, for machines.
 */
export function logsGoToTerminal(config: Pick<AppConfig, 'NODE_ENV'>, stdout: { isTTY?: boolean } = process.stdout): boolean {
  return stdout.isTTY === true && config.NODE_ENV !== 'production';
}

interface RequestLine {
  req: { id?: string; method?: string; url?: string };
  res: { statusCode?: number };
  responseTime?: number;
}

const isRequestLine = (log: Record<string, unknown>): log is Record<string, unknown> & RequestLine =>
  typeof log.req === 'object' && log.req !== null && typeof log.res === 'object' && log.res !== null;

/** `[Context] message`; a request as `POST /api/workshops 201 12 ms (correlation id)` on its one line. */
const formatMessage: MessageFormatFunc = (log, messageKey) => {
  const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
  if (!isRequestLine(log)) return `${context}${String(log[messageKey] ?? '')}`;
  const { req, res, responseTime } = log;
  return `${context}${req.method} ${req.url} ${res.statusCode} ${responseTime} ms (${req.id})`;
};

/** A request line's fields are in its message: left out below it (pino-pretty skips a key whose prettifier gives undefined). */
const unlessRequestLine: Prettifier = (value, _key, log) =>
  isRequestLine(log as Record<string, unknown>) ? (undefined as unknown as string) : JSON.stringify(value, null, 2);

/**
 * A stream that turns pino's JSON lines into readable ones, on stdout unless told. It runs in the process
 * (not as a pino transport thread) so that the line format can be a function; it only ever sees what pino
 * wrote, so redaction has already happened.
 */
export function prettyStream(destination?: DestinationStream, colorize?: boolean): DestinationStream {
  return pinoPretty({
    destination: destination ?? 1,
    // Written at once, as console output is: a terminal is slow to fill, and a crash loses no last line.
    sync: true,
    // An explicit `undefined` would turn off pino-pretty's own choice (colours when the terminal has them).
    ...(colorize === undefined ? {} : { colorize }),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'hostname,service,context',
    messageFormat: formatMessage,
    customPrettifiers: { req: unlessRequestLine, res: unlessRequestLine, responseTime: unlessRequestLine },
  });
}
