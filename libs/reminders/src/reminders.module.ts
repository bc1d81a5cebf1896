import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { REMINDER_SOURCES, type ReminderSource } from './reminder-source';
import { ReminderEngine } from './reminder-engine';
import { RemindersReconciled } from './reminders.reconciled';
import { REMINDER_SWEEPS_QUEUE, REMINDERS_QUEUE } from './reminders.queue';

/**
 * The reminder engine with its sources: each context provides its source (its module exports it) and
 * the worker lists them here. A new kind of reminder is a new source in this list, not a change to the engine.
 */
const queues = BullModule.registerQueue({ name: REMINDERS_QUEUE }, { name: REMINDER_SWEEPS_QUEUE });

/** The reminders' two queues, for the API's queue board and metrics as for the worker. */
@Module({ imports: [queues], exports: [queues] })
export class ReminderQueuesModule {}

@Module({})
export class RemindersModule {
  static forSources(sources: Type<ReminderSource>[], imports: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: RemindersModule,
      imports: [...imports, ReminderQueuesModule],
      providers: [
        ...sources,
        { provide: REMINDER_SOURCES, inject: sources, useFactory: (...found: ReminderSource[]) => found },
        ReminderEngine,
        RemindersReconciled,
      ],
      exports: [ReminderEngine, RemindersReconciled, ReminderQueuesModule],
    };
  }
}
