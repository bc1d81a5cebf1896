import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { type CommandContext, type KeysetList, ListCursors, type Page, ProblemException, ValidationProblem } from '@passerelle/platform';
import { type LoginLock, LoginLocks } from '../infrastructure/login-locks';
import { parseLockId } from '../infrastructure/login-throttle-keys';
import { UsersService } from '../infrastructure/users.service';

/** Hashes are shown cut to this many hex digits: enough to tell entries apart, and never an address. */
const SHOWN_HASH = 12;

/** Those ending first first. */
const LOGIN_LOCKS: KeysetList = { name: 'login-locks', columns: [['untilMs', 'integer'], ['id', 'text']] };

/** A throttle entry as admins see it. */
export interface LoginLockEntry {
  id: string;
  scope: 'source-on-account' | 'account' | 'source';
  effect: 'refused' | 'slowed';
  account: { userId: string; email: string } | null;
  accountHash: string | null;
  sourceHash: string | null;
  failures: number;
  until: string;
}

/** Admins see which accounts and sources the login throttle holds back or slows, and clear them. */
@Injectable()
export class LoginLocksService {
  private readonly logger = new Logger('LoginLocks');

  constructor(
    private readonly locks: LoginLocks,
    private readonly users: UsersService,
    private readonly cursors: ListCursors,
  ) {}

  async list(limit: number, cursor: string | undefined): Promise<Page<LoginLockEntry>> {
    const after = this.cursors.after(LOGIN_LOCKS, cursor);
    const page = await this.locks.page(limit, after ? { untilMs: after[0] as number, id: after[1] as string } : null);
    const emails = await this.emailsOf(page.locks);
    return {
      items: page.locks.map((lock) => entry(lock, emails)),
      nextCursor: page.next ? this.cursors.next(LOGIN_LOCKS, [page.next.untilMs, page.next.id]) : null,
    };
  }

  /** Clears an entry (400 for an id that is none, 404 if it is no longer there), and logs who did. */
  async clear(id: string, context: CommandContext): Promise<LoginLockEntry> {
    const lock = parseLockId(id);
    if (!lock) throw new ValidationProblem([{ field: 'id', message: 'must be the id of a login lock, as listed' }]);
    const cleared = await this.locks.clear(lock);
    if (!cleared) throw new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'Not Found', 'No such login lock: it may have ended already');
    const shown = entry(cleared, await this.emailsOf([cleared]));
    this.logger.log(
      { event: 'login-lock-cleared', actor: context.actor, correlationId: context.correlationId, lock: shown.id, scope: shown.scope, userId: shown.account?.userId ?? null, failures: shown.failures },
      `login lock ${shown.id} (${shown.scope}, ${shown.failures} failures) cleared by admin ${context.actor}`,
    );
    return shown;
  }

  private async emailsOf(locks: LoginLock[]): Promise<Map<string, string>> {
    const ids = [...new Set(locks.map((lock) => lock.userId).filter((id): id is string => id !== null))];
    const users = await this.users.findByIds(ids);
    return new Map(users.map((user) => [user.id, user.email]));
  }
}

function entry(found: LoginLock, emails: Map<string, string>): LoginLockEntry {
  const { lock } = found;
  const email = found.userId ? emails.get(found.userId) : undefined;
  return {
    id: lock.id,
    scope: lock.scope,
    effect: lock.scope === 'account' ? 'slowed' : 'refused',
    account: found.userId && email ? { userId: found.userId, email } : null,
    accountHash: lock.account?.slice(0, SHOWN_HASH) ?? null,
    sourceHash: lock.source?.slice(0, SHOWN_HASH) ?? null,
    failures: found.failures,
    until: found.until.toISOString(),
  };
}
