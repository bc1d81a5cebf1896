import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOn, executeInTransaction } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { workshopDecider, workshopStream } from '@passerelle/workshops';
import { invitationDecider } from '../domain/invitation.decider';
import { invitationStream, RecordAttendance } from './invitation-commands';

@CommandHandler(RecordAttendance)
export class RecordAttendanceHandler implements ICommandHandler<RecordAttendance> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ workshopId, sessionId, invitationIds, options }: RecordAttendance) {
    return executeInTransaction(this.store, options, async (tx) => {
      const workshop = await decideOn(this.store, tx, workshopStream(workshopId), workshopDecider, { type: 'RecordAttendance', sessionId, invitationIds }, options);
      let position = workshop.position;
      for (const invitationId of new Set(invitationIds)) {
        const marked = await decideOn(this.store, tx, invitationStream(invitationId), invitationDecider, { type: 'MarkAttended', sessionId }, { metadata: options.metadata });
        position = Math.max(position, marked.position);
      }
      return { id: workshopId, version: workshop.version, position };
    });
  }
}
