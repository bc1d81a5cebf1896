import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AccountStandingCache, type CommandContext, ProblemException } from '@passerelle/platform';
import type { UserEntity } from '../infrastructure/user.entity';
import { UsersService } from '../infrastructure/users.service';

/**
 * An admin closes an account: it can no longer log in and its tokens stop working (in this process at
 * once, in the others within ACCOUNT_CACHE_SECONDS). Accounts are not event-sourced, so the record of
 * who closed it is a structured log line (`accountClosed`, with the actor and the correlation id).
 */
@Injectable()
export class AccountClosure {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountStandingCache,
  ) {}

  async close(id: string, context: CommandContext): Promise<UserEntity> {
    if (id === context.actor) {
      throw new ProblemException(HttpStatus.CONFLICT, 'own-account', 'Conflict', 'An admin cannot close their own account');
    }
    const closed = await this.users.close(id);
    this.accounts.forget(id);
    if (closed.outcome !== 'closed') {
      throw closed.outcome === 'unknown'
        ? new ProblemException(HttpStatus.NOT_FOUND, 'account-not-found', 'Not Found', 'There is no account with this id')
        : new ProblemException(HttpStatus.CONFLICT, 'account-already-closed', 'Conflict', 'This account is already closed');
    }
    const { user } = closed;
    this.logger.log(
      { accountClosed: { accountId: user.id, email: user.email, role: user.role, closedAt: user.closedAt }, actor: context.actor, correlationId: context.correlationId },
      `Account ${user.id} closed by ${context.actor}`,
    );
    return user;
  }
}
