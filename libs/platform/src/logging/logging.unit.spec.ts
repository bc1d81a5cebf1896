import { Writable } from 'node:stream';
import { createLogger } from './logging';
import { logsGoToTerminal } from './pretty-output';

/** A destination that keeps what it is given, and says when what it holds passes a test (or fails after 5 s). */
function collector() {
  let text = '';
  const waiting: { test: (text: string) => boolean; resolve: () => void }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      for (const w of waiting.filter((w) => w.test(text))) w.resolve();
      done();
    },
  });
  const when = (test: (text: string) => boolean, what: string) =>
    test(text)
      ? Promise.resolve(text)
      : new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`expected ${what}, got: ${text}`)), 5000);
          waiting.push({ test, resolve: () => (clearTimeout(timer), resolve(text)) });
        });
  const lines = (text: string) => text.split('\n').filter(Boolean);
  /** The first `count` lines, once there. */
  const linesWhen = async (count: number) => lines(await when((t) => lines(t).length >= count, `${count} lines`));
  return { stream, when, linesWhen, text: () => text };
}

const SECRETS = { password: 'pw-Tb6%kW3z-secret', token: 'tok-Ns9*fH2q-secret', authorization: 'Bearer jwt-Ud4=gJ7p-secret' };

/** What the application logs that carries secrets: a body with a password and a token, request headers. */
function logSecrets(logger: ReturnType<typeof createLogger>): void {
  logger.info({ body: { email: 'someone@example.test', password: SECRETS.password, token: SECRETS.token } }, 'activation');
  logger.warn({ req: { headers: { authorization: SECRETS.authorization, cookie: 'session=abc-secret' } } }, 'odd request');
}

describe('the process logger', () => {
  const config = { LOG_LEVEL: 'info', NODE_ENV: 'development' } as const;

  it('writes JSON lines with secrets redacted', async () => {
    const out = collector();
    logSecrets(createLogger(config, { pretty: false, destination: out.stream }));
    const [activation, odd] = (await out.linesWhen(2)).map((line) => JSON.parse(line));
    expect(activation).toMatchObject({ level: 30, msg: 'activation', service: 'passerelle', body: { email: 'someone@example.test', password: '[redacted]', token: '[redacted]' } });
    expect(odd).toMatchObject({ level: 40, req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } } });
    for (const secret of [...Object.values(SECRETS), 'session=abc']) expect(out.text()).not.toContain(secret);
  });

  it('writes readable lines with the same secrets redacted, a request on one line', async () => {
    const out = collector();
    const logger = createLogger(config, { pretty: true, destination: out.stream, colorize: false });
    logSecrets(logger);
    logger.info({ context: 'Api' }, 'listening on http://0.0.0.0:3000');
    logger.info({ req: { id: 'corr-1', method: 'POST', url: '/api/workshops' }, res: { statusCode: 201 }, responseTime: 12 }, 'request completed');
    const text = await out.when((t) => t.includes('(corr-1)'), 'the request line');
    for (const secret of [...Object.values(SECRETS), 'session=abc']) expect(text).not.toContain(secret);
    expect(text).toMatch(/INFO \(\d+\): activation\n/);
    expect(text).toContain('"password": "[redacted]"');
    expect(text).toMatch(/WARN \(\d+\): odd request\n    req: \{\n/);
    expect(text).toContain('"authorization": "[redacted]"');
    expect(text).toMatch(/INFO \(\d+\): \[Api\] listening on http:\/\/0\.0\.0\.0:3000\n/);
    expect(text).toMatch(/INFO \(\d+\): POST \/api\/workshops 201 12 ms \(corr-1\)\n$/);
    expect(text).not.toContain('{"level"');
  });

  it('redacts the credentials of any logged address and header, whoever logs them', async () => {
    const out = collector();
    const logger = createLogger(config, { pretty: false, destination: out.stream });
    logger.error({ path: '/api/rsvp/rsvp-Qz7-secret?after=3', correlationId: 'c-1' }, 'Unhandled error');
    logger.info({ url: '/admin/queues?access_token=jwt-Xk2-secret' }, 'an address');
    logger.info({ req: { url: '/activate/act-Lm4-secret', headers: { authorization: 'Bearer jwt-Pp1-secret', cookie: 'passerelle_board=jwt-Cc3-secret' } }, res: { headers: { 'set-cookie': 'passerelle_board=jwt-Sc5-secret' } } }, 'headers');
    const [error, address, headers] = (await out.linesWhen(3)).map((line) => JSON.parse(line));
    expect(error).toMatchObject({ path: '/api/rsvp/[redacted]?after=3', correlationId: 'c-1' });
    expect(address.url).toBe('/admin/queues?access_token=[redacted]');
    expect(headers).toMatchObject({ req: { url: '/activate/[redacted]', headers: { authorization: '[redacted]', cookie: '[redacted]' } }, res: { headers: { 'set-cookie': '[redacted]' } } });
    expect(out.text()).not.toMatch(/secret/);
  });

  it("shows Nest's start-up chatter (modules loaded, routes mapped) at debug, not at info", async () => {
    const chatter = (logger: ReturnType<typeof createLogger>) => {
      logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/workshops, POST} route');
      logger.info({ context: 'InstanceLoader' }, 'WorkshopsModule dependencies initialized');
      logger.info({ context: 'Worker' }, 'started');
    };
    const atInfo = collector();
    chatter(createLogger(config, { pretty: false, destination: atInfo.stream }));
    expect((await atInfo.linesWhen(1)).map((line) => JSON.parse(line).msg)).toEqual(['started']);

    const atDebug = collector();
    chatter(createLogger({ ...config, LOG_LEVEL: 'debug' }, { pretty: false, destination: atDebug.stream }));
    const lines = (await atDebug.linesWhen(3)).map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.level, line.context])).toEqual([[20, 'RouterExplorer'], [20, 'InstanceLoader'], [30, 'Worker']]);
  });

  it('is readable only on a terminal outside production', () => {
    expect(logsGoToTerminal({ NODE_ENV: 'development' }, { isTTY: true })).toBe(true);
    expect(logsGoToTerminal({ NODE_ENV: 'test' }, { isTTY: true })).toBe(true);
    expect(logsGoToTerminal({ NODE_ENV: 'production' }, { isTTY: true })).toBe(false);
    expect(logsGoToTerminal({ NODE_ENV: 'development' }, { isTTY: false })).toBe(false);
    expect(logsGoToTerminal({ NODE_ENV: 'development' }, {})).toBe(false);
  });
});
