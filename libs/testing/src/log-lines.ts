/** One JSON log line as pino writes it. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/**
 * A pino destination that keeps the lines an app logs, parsed, for a test to read: pass it as the
 * app's log destination, with a LOG_LEVEL that lets the lines through.
 */
export class LogLines {
  readonly lines: LogLine[] = [];

  write(chunk: string): void {
    for (const text of chunk.split('\n')) if (text.trim()) this.lines.push(JSON.parse(text) as LogLine);
  }

  /** The lines logged with this context (`MailAttempts`, `SmtpStartCheck`, ...). */
  of(context: string): LogLine[] {
    return this.lines.filter((line) => line.context === context);
  }

  /** Everything logged, as text: to check that something never appears in the logs. */
  get text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }
}
