/**
 * `npm run mailcatcher` (node -r @swc-node/register scripts/mailcatcher.ts): a mail catcher for
 * development and the demo, no docker needed. It keeps every e-mail it is sent, in memory:
 *
 *   SMTP on MAILCATCHER_SMTP_PORT (default 1025): point Passerelle's SMTP_URL at smtp://127.0.0.1:1025
 *   HTTP on MAILCATCHER_HTTP_PORT (default 8025): the messages at /, and the part of Mailpit's API
 *        that `npm run demo` reads (/api/v1/messages, /api/v1/search, /api/v1/message/{ID}, ...),
 *        so the demo works with this catcher or with Mailpit alike
 *   MAILCATCHER_HOST (default 127.0.0.1): the interface both listen on
 */
import { startMailCatcher } from './mailcatcher/catcher';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number (0 to 65535), not "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const host = process.env.MAILCATCHER_HOST || '127.0.0.1';
  const catcher = await startMailCatcher({ host, smtpPort: port('MAILCATCHER_SMTP_PORT', 1025), httpPort: port('MAILCATCHER_HTTP_PORT', 8025) });
  console.log(`Mail catcher: SMTP on ${host}:${catcher.smtpPort}, messages at ${catcher.httpUrl}`);
  console.log(`  Passerelle: SMTP_URL=smtp://${host}:${catcher.smtpPort}   demo: MAILPIT_URL=${catcher.httpUrl}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void catcher.close().then(() => process.exit(0));
    });
  }
}

main().catch((err: Error & { code?: string }) => {
  console.error(`mailcatcher: ${err.code === 'EADDRINUSE' ? `${err.message}: another mail catcher (or Mailpit) already listens there; set MAILCATCHER_SMTP_PORT / MAILCATCHER_HTTP_PORT` : err.message}`);
  process.exit(1);
});
