import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { runCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { workshopDecider, workshopStream } from '@passerelle/workshops';
import { invitationDecider } from '../domain/invitation.decider';
import { invitationStream, RecordAttendance } from './invitation-commands';

@CommandHandler(RecordAttendance)
export class RecordAttendanceHandler implements ICommandHandler<RecordAttendance> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ workshopId, sessionId, invitationIds, options }: RecordAttendance) {
    return runCommand(this.store, options, async (session) => {
      const workshop = await session.decide(workshopStream(workshopId), workshopDecider, { type: 'RecordAttendance', sessionId, invitationIds }, { expectedVersion: options.expectedVersion });
      let position = workshop.position;
      for (const invitationId of new Set(invitationIds)) {
        const marked = await session.decide(invitationStream(invitationId), invitationDecider, { type: 'MarkAttended', sessionId });
        position = Math.max(position, marked.position);
      }
      return { id: workshopId, version: workshop.version, position };
    });
  }
}
