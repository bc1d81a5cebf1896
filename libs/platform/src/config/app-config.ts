import { hkdfSync } from 'node:crypto';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { DEVELOPMENT_MASTER_KEY, defaultKeysDatabaseUrl, keysDatabaseProblems, parseMasterKey, privacyKeyProblems, splitKeyList } from './privacy-keys';
import { IsProxyList, parseProxyList } from './trust-proxy';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
/** "true" or "1", "false" or "0"; anything else is left as it is, for the validator to name. */
const toBoolean = ({ value }: { value: unknown }) => ({ true: true, '1': true, false: false, '0': false })[String(value)] ?? value;

/**
 * The process's configuration, read once from the environment at start and validated.
 * Modules receive it by injection; nothing else reads `process.env`.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/passerelle';

  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Passerelle <no-reply@passerelle.local>';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  APP_BASE_URL = 'http://localhost:3000';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  /** At most 12 hours (OWASP ASVS 3.3.2): a person logs in again at least twice a day. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(43_200)
  JWT_TTL_SECONDS = 3600;

  /**
   * How long a process trusts what it read of an account (exists, role, institution, closed, token
   * generation) before reading it again: a change made in the table, or by another API process, is
   * honoured by every process within this many seconds. 0 reads the account on every request.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  ACCOUNT_CACHE_SECONDS = 5;

  /** The bearer token /metrics requires in production; unset, /metrics is open (expose it only on the internal network). */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters long' })
  ADMIN_PASSWORD?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  APPROVALS_REQUIRED = 2;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * Failed logins for one account from one source before that source gets 429s for it (four times as
   * many from one source on any accounts); as many for an account from everywhere start the slow-down.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  /** How long failed logins are remembered. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_LOCK_SECONDS = 900;

  /** Cap of the wait before each login for an account under attack (it doubles from 250 ms); 0: no wait. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  LOGIN_DELAY_MAX_MS = 3000;

  /** Reverse proxies whose X-Forwarded-For is believed (IP addresses, CIDR ranges); unset: none. */
  @IsOptional()
  @IsProxyList()
  TRUST_PROXY?: string;

  /** Queue keys are prefixed with {QUEUE_PREFIX}: one hash tag, so a Redis Cluster keeps them together. */
  @Matches(/^[a-z0-9_-]{1,80}$/)
  QUEUE_PREFIX = 'passerelle';

  /** SMTP connections the worker keeps open, and e-mails it sends at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  MAIL_CONCURRENCY = 8;

  /** Attempts per e-mail on temporary failures (4xx, connection refused, time-out), with exponential backoff. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_ATTEMPTS = 12;

  /** First retry delay; each next one doubles. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  MAIL_RETRY_DELAY_MS = 5000;

  /** Unanswered invitations get one reminder this many days before the workshop starts. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  REMINDER_DAYS_BEFORE = 7;

  /** How often the worker looks for invitations due a reminder (one run per interval across all workers). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  REMINDER_CHECK_INTERVAL_SECONDS = 3600;

  /**
   * How often the worker checks that every piece of work the store says is due has its job in Redis
   * (and that the job schedulers exist), queuing again what Redis lost; also once at start.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RECONCILE_INTERVAL_SECONDS = 60;

  /**
   * Hours an Idempotency-Key replays its first answer (which may name people, e.g. invitees' addresses);
   * after that the key is treated as new, and the worker deletes it. From 1 hour to 30 days.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(720)
  IDEMPOTENCY_KEY_HOURS = 24;

  /**
   * Streams a process keeps after commanding them, so that the next command on one decides without
   * reading it (proposals go through several commands in a row); 0 keeps none. At most 100 events each.
   * `npm run bench:http` with BENCH_COMPARE=stream-cache measures what it gains.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  STREAM_CACHE_SIZE = 2000;

  /**
   * The invitation read model writes runs of InvitationIssued (a bulk invitation) and of
   * InvitationEmailed as one statement each (true), or every event on its own (false).
   * `npm run bench:invitations` measures what it gains.
   */
  @Transform(toBoolean)
  @IsBoolean()
  INVITATION_PROJECTION_BATCH_RUNS = true;

  /**
   * The key database (subject keys, blind-index key): never the event database, so that a copy of one
   * alone reveals no one. Unset: DATABASE_URL's server, database `<name>_keys`.
   */
  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  KEYS_DATABASE_URL?: string;

  /** Wraps every subject key and the blind-index key: 32 random bytes, base64. Required in production. */
  @IsOptional()
  @IsString()
  PRIVACY_MASTER_KEY?: string;

  /** Master keys being rotated away from, comma-separated: still unwrap, never wrap. */
  @IsOptional()
  @IsString()
  PRIVACY_PREVIOUS_MASTER_KEYS?: string;

  /** How long a process keeps a subject key it unwrapped (an erasure evicts it at once through NOTIFY). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  PRIVACY_KEY_CACHE_SECONDS = 60;

  /** At most this many subject keys cached per process (least recently used leave first). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  PRIVACY_KEY_CACHE_SIZE = 10_000;

  /**
   * Days after a workshop concludes before its participants are erased by the worker's hourly retention
   * pass (reason and basis `retention`); a participant is erased once all their workshops have passed it.
   * Unset: personal data is kept until erased on request. 0 erases at the first pass after conclusion.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(36_500)
  PERSONAL_DATA_RETENTION_DAYS?: number;

  /** TRUST_PROXY as a list, for the HTTP server: empty when no proxy is trusted. */
  get trustedProxies(): string[] {
    return parseProxyList(this.TRUST_PROXY);
  }

  /** The signing key in force: the configured one, or a fixed one in development and tests. */
  get jwtSecret(): string {
    return this.JWT_SECRET ?? 'passerelle-development-only-signing-key-0000';
  }

  /** The key database's address: KEYS_DATABASE_URL, or the main database's name with `_keys`. */
  get keysDatabaseUrl(): string {
    return this.KEYS_DATABASE_URL ?? defaultKeysDatabaseUrl(this.DATABASE_URL);
  }

  /** The master key in force: the configured one, or a fixed one in development and tests. */
  get privacyMasterKey(): Buffer {
    return (this.PRIVACY_MASTER_KEY && parseMasterKey(this.PRIVACY_MASTER_KEY)) || DEVELOPMENT_MASTER_KEY;
  }

  /** The master keys still accepted for unwrapping during a rotation. */
  get privacyPreviousMasterKeys(): Buffer[] {
    return splitKeyList(this.PRIVACY_PREVIOUS_MASTER_KEYS).flatMap((text) => parseMasterKey(text) ?? []);
  }

  /** The key that signs list cursors: derived from the signing key under its own label, never the key itself. */
  get cursorSigningKey(): Buffer {
    return Buffer.from(hkdfSync('sha256', this.jwtSecret, 'passerelle', 'list-cursor', 32));
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const KEYS = [
  'NODE_ENV',
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'MAIL_FROM',
  'PORT',
  'APP_BASE_URL',
  'JWT_SECRET',
  'JWT_TTL_SECONDS',
  'ACCOUNT_CACHE_SECONDS',
  'METRICS_TOKEN',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'APPROVALS_REQUIRED',
  'LOG_LEVEL',
  'LOGIN_MAX_FAILURES',
  'LOGIN_LOCK_SECONDS',
  'LOGIN_DELAY_MAX_MS',
  'TRUST_PROXY',
  'QUEUE_PREFIX',
  'MAIL_CONCURRENCY',
  'MAIL_ATTEMPTS',
  'MAIL_RETRY_DELAY_MS',
  'REMINDER_DAYS_BEFORE',
  'REMINDER_CHECK_INTERVAL_SECONDS',
  'RECONCILE_INTERVAL_SECONDS',
  'IDEMPOTENCY_KEY_HOURS',
  'STREAM_CACHE_SIZE',
  'INVITATION_PROJECTION_BATCH_RUNS',
  'KEYS_DATABASE_URL',
  'PRIVACY_MASTER_KEY',
  'PRIVACY_PREVIOUS_MASTER_KEYS',
  'PRIVACY_KEY_CACHE_SECONDS',
  'PRIVACY_KEY_CACHE_SIZE',
  'PERSONAL_DATA_RETENTION_DAYS',
] as const;

/** Reads and validates the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const problems = validateSync(config).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) problems.push('JWT_SECRET is required in production');
  problems.push(...privacyKeyProblems(config), ...keysDatabaseProblems(config.DATABASE_URL, config.KEYS_DATABASE_URL));
  if (Boolean(config.ADMIN_EMAIL) !== Boolean(config.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
