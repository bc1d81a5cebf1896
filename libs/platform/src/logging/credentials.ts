/**
 * Every credential a request can carry, in one list: what no log line shows, whoever writes it (the
 * request log, an error, a module's own line). The logger applies it (see createLogger); nothing else
 * keeps a list of its own.
 */
export const CREDENTIALS = {
  /**
   * Query parameters whose name holds one of these words, whatever the case: the queue board's
   * `?access_token=<JWT>`, `?token=`, and any other token, password, secret, signature or API key
   * (`api_key`, `api-key`, `apikey`) sent in an address.
   */
  queryWords: ['token', 'password', 'secret', 'signature', 'api_key'],
  /**
   * Query parameters that carry a person's address (`GET /api/privacy/subjects?email=`): not a
   * credential, but personal data that an erasure could never reach once it is in a log line.
   */
  personalQueryWords: ['email'],
  /** Path words whose next segment is a secret: the e-mailed links /rsvp/<token>, /api/rsvp/<token> and /activate/<token>. */
  pathWords: ['rsvp', 'activate'],
  /** Request and answer headers. (Idempotency-Key and X-Correlation-Id are not secrets: they stay.) */
  headers: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'],
  /** Fields of a logged object (a body, a command): its password, hash or token (activation, RSVP, access). */
  fields: ['password', 'passwordHash', 'token', 'accessToken'],
} as const;

export const REDACTED = '[redacted]';

const SECRET_SEGMENT = new RegExp(`/(${CREDENTIALS.pathWords.join('|')})/[^/?#]+`, 'g');
const SECRET_PARAMETER = new RegExp([...CREDENTIALS.queryWords, ...CREDENTIALS.personalQueryWords].map((word) => word.replace(/[-_]/g, '[-_]?')).join('|'), 'i');

/** An address as it may be logged: the secret path segments and query parameters (and e-mail addresses in the query) replaced by `[redacted]`. */
export function redactedUrl(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  const safePath = path.replace(SECRET_SEGMENT, `/$1/${REDACTED}`);
  if (query < 0) return safePath;
  const parameters = url
    .slice(query + 1)
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      const name = equals < 0 ? parameter : parameter.slice(0, equals);
      return SECRET_PARAMETER.test(safeDecode(name)) ? `${name}=${REDACTED}` : parameter;
    });
  return `${safePath}?${parameters.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** pino's `redact.paths`: the fields and headers above, at the top of a line or one level down (`req.headers`, `body`). */
export function redactPaths(): string[] {
  const headers = CREDENTIALS.headers.flatMap((name) => [`headers["${name}"]`, `*.headers["${name}"]`]);
  const fields = CREDENTIALS.fields.flatMap((name) => [name, `*.${name}`]);
  return [...fields, ...headers];
}

/** Keys of a log line that hold an address: whatever logs one, the address is redacted. */
export const ADDRESS_KEYS = ['url', 'path'] as const;
