import { Injectable } from '@nestjs/common';
import { type ConsumerTransaction, TypedConsumer } from '@passerelle/event-store-postgres';
import type { WorkshopEvent } from '../domain/workshop.events';
import { workshopTimeZone } from '../domain/time-zones';

export const WORKSHOP_READ_MODEL = 'workshop-read-model';

type Stamp = { version: number; position: number };

/** Workshops and the solutions presented at them, for the list and detail endpoints. */
@Injectable()
export class WorkshopReadModelProjection extends TypedConsumer<WorkshopEvent> {
  constructor() {
    super({
      name: WORKSHOP_READ_MODEL,
      categories: ['workshop'],
      batchSize: 500,
      handlers: {
        WorkshopPlanned: async (event, tx) => {
          const d = event.data;
          await tx.query(
            `INSERT INTO workshops (id, title, host_institution, city, country, starts_on, ends_on, themes, time_zone, status, planned_at, version, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $12, 'planned', $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
            [d.workshopId, d.title, d.hostInstitution, d.city, d.country, d.startsOn, d.endsOn, JSON.stringify(d.themes), d.plannedAt, event.version, event.position, workshopTimeZone(d)],
          );
        },
        WorkshopSessionAdded: async (event, tx) => {
          const { workshopId, ...session } = event.data;
          await tx.query('UPDATE workshops SET sessions = sessions || $2::jsonb, version = $3, position = $4 WHERE id = $1', [
            workshopId,
            JSON.stringify([session]),
            event.version,
            event.position,
          ]);
        },
        WorkshopRegistrationOpened: (event, tx) => setStatus(tx, event.data.workshopId, 'registration_open', event),
        WorkshopStarted: (event, tx) => setStatus(tx, event.data.workshopId, 'in_progress', event),
        WorkshopConcluded: (event, tx) => setStatus(tx, event.data.workshopId, 'concluded', event),
        WorkshopSolutionPresented: async (event, tx) => {
          const d = event.data;
          await tx.query(
            `INSERT INTO workshop_solutions (workshop_id, solution_id, session_id, company, title, sector)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
            [d.workshopId, d.solutionId, d.sessionId, d.company, d.title, d.sector],
          );
          await touch(tx, d.workshopId, event);
        },
        WorkshopParticipantsInvited: (event, tx) => touch(tx, event.data.workshopId, event),
        WorkshopAttendanceRecorded: (event, tx) => touch(tx, event.data.workshopId, event),
      },
      reset: async (tx) => {
        await tx.query('TRUNCATE workshops, workshop_solutions');
      },
    });
  }
}

async function setStatus(tx: ConsumerTransaction, id: string, status: string, { version, position }: Stamp): Promise<void> {
  await tx.query('UPDATE workshops SET status = $2, version = $3, position = $4 WHERE id = $1', [id, status, version, position]);
}

/** Moves only the version and position: nothing else of the row changes. */
async function touch(tx: ConsumerTransaction, id: string, { version, position }: Stamp): Promise<void> {
  await tx.query('UPDATE workshops SET version = $2, position = $3 WHERE id = $1', [id, version, position]);
}
