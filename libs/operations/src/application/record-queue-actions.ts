import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { runCommand, streamKind } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { CommandContext } from '@passerelle/platform';
import { queueActionDecider } from '../domain/queue-action.decider';
import type { QueueAction } from '../domain/queue-action.events';

/** `queue-<queue name>`, and back: the audit reads it at /api/audit/queue/<queue name>. */
export const [queueStream, queueNameOf] = streamKind('queue');

/** What one board request did, on one queue or on several (pause all): recorded together or not at all. */
export class RecordQueueActions extends Command<void> {
  constructor(
    readonly actions: QueueAction[],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordQueueActions)
export class RecordQueueActionsHandler implements ICommandHandler<RecordQueueActions> {
  constructor(private readonly store: PostgresEventStore) {}

  async execute({ actions, context }: RecordQueueActions): Promise<void> {
    await runCommand(this.store, { metadata: { ...context } }, async (session) => {
      for (const action of actions) await session.decide(queueStream(action.queue), queueActionDecider, { type: 'RecordQueueAction', ...action });
      return {};
    });
  }
}
