import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Mailbox } from './mailbox';
import { httpHandler } from './http-routes';

export interface MailCatcherOptions {
  /** Interface both servers listen on. */
  host: string;
  /** 0 for any free port. */
  smtpPort: number;
  httpPort: number;
  maxMessages?: number;
}

export interface MailCatcher {
  mailbox: Mailbox;
  smtpPort: number;
  httpPort: number;
  httpUrl: string;
  close(): Promise<void>;
}

/** An SMTP server that keeps every message it is sent, and an HTTP server that shows them. */
export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const mailbox = new Mailbox(options.maxMessages);
  const smtp = new SMTPServer({
    // Any sender, any recipient, any credentials, no TLS: a development catcher, local by default.
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    logger: false,
    size: 50 * 1024 * 1024,
    closeTimeout: 500,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        mailbox.add(Buffer.concat(chunks), envelope).then(() => callback(), callback);
      });
    },
  });
  smtp.on('error', (err) => console.error(`mailcatcher: SMTP: ${err.message}`));
  await listen((port, host, ready) => smtp.listen(port, host, ready), smtp.server, options.smtpPort, options.host);

  const http = createServer(httpHandler(mailbox));
  try {
    await listen((port, host, ready) => http.listen(port, host, ready), http, options.httpPort, options.host);
  } catch (err) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw err;
  }

  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    mailbox,
    smtpPort,
    httpPort,
    httpUrl: `http://${shownHost}:${httpPort}`,
    async close() {
      http.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => http.close(() => resolve())), new Promise<void>((resolve) => smtp.close(() => resolve()))]);
    },
  };
}

function listen(start: (port: number, host: string, ready: () => void) => void, server: Server | SMTPServer['server'], port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    start(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}
