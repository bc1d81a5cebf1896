import { HttpStatus, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { AccountStandingCache, type CommandContext, ProblemException } from '@passerelle/platform';
import { type ErasedSubject, PersonalDataVault, SubjectErasure } from '@passerelle/privacy';
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

/**
 * On a person's erasure (a step of SubjectErasure, in the API and in the worker): their partner or staff
 * account is closed like any other (it can no longer log in, its tokens stop working) and their address
 * and name are removed from it (UsersService.eraseIdentity). The log line names the account by id only.
 * When the erasure could not read the address (an earlier attempt destroyed the key), the accounts are
 * found by comparing each one's address with the subject (blind index).
 */
@Injectable()
export class ErasedAccountClosure implements OnModuleInit {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly users: UsersService,
    private readonly vault: PersonalDataVault,
    private readonly erasure: SubjectErasure,
    /** The API's; a process without one (the worker) leaves the token generation to stop tokens. */
    @Optional() private readonly accounts?: AccountStandingCache,
  ) {}

  onModuleInit(): void {
    this.erasure.addStep((erased) => this.close(erased));
  }

  async close(erased: ErasedSubject): Promise<void> {
    const ids = erased.addresses.length > 0 ? (await this.users.findByAddresses(erased.addresses)).map((user) => user.id) : await this.accountsOf(erased.subjectId);
    for (const id of ids) {
      await this.users.eraseIdentity(id);
      this.accounts?.forget(id);
      this.logger.log(
        { accountErased: { accountId: id, subjectId: erased.subjectId }, actor: erased.actor, correlationId: erased.correlationId },
        `Account ${id} closed and its personal data removed (erasure of subject ${erased.subjectId})`,
      );
    }
  }

  private async accountsOf(subjectId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const { id, email } of await this.users.unerasedAddresses()) {
      if ((await this.vault.findSubject(email))?.subjectId === subjectId) ids.push(id);
    }
    return ids;
  }
}
