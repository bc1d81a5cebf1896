import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PartnerAccounts } from '@passerelle/accounts';
import { type CommandOptions, type CommandResult, DomainError, handleCommand, runCommand, streamKind } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { PartnerInstitutionCommand } from '../domain/partner-institution.commands';
import { partnerInstitutionDecider } from '../domain/partner-institution.decider';
import type { InstitutionContact } from '../domain/partner-institution.events';

/** `institution-<institutionId>`, and back. */
export const [institutionStream, institutionIdOf] = streamKind('institution');

/** Any command on one partner institution. */
export class ChangeInstitution extends Command<CommandResult> {
  constructor(
    readonly institutionId: string,
    readonly command: PartnerInstitutionCommand,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/**
 * A command that names a contact also claims the contact's e-mail for the partner account, in the
 * transaction that appends the event: the account row (no password yet) is inserted there, and an
 * e-mail any account already has, whatever its case, refuses the command (409 `email_taken`) and rolls
 * the event back. Two registrations of one address at the same instant thus give one 201 and one 409,
 * never two institutions of which one has a contact without an account. The accounts reactor then
 * finds the row there (its insert does nothing) and issues the activation token and e-mail.
 */
@CommandHandler(ChangeInstitution)
export class ChangeInstitutionHandler implements ICommandHandler<ChangeInstitution> {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly accounts: PartnerAccounts,
  ) {}

  execute({ institutionId, command, options }: ChangeInstitution): Promise<CommandResult> {
    const streamId = institutionStream(institutionId);
    if (command.type !== 'RegisterInstitution' && command.type !== 'AddContact') {
      return handleCommand(this.store, streamId, partnerInstitutionDecider, command, options);
    }
    return runCommand(this.store, options, async (session) => {
      const result = await session.decide(streamId, partnerInstitutionDecider, command, { expectedVersion: options.expectedVersion });
      for (const event of result.events) {
        const { userId, email, fullName } = event.data.contact as InstitutionContact;
        const claimed = await this.accounts.claim({ userId, email, fullName, institutionId: event.data.institutionId as string }, session.tx);
        if (!claimed) throw new DomainError('An account with this e-mail address already exists', 'email_taken');
      }
      return result;
    });
  }
}
