import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import type { WorkshopEvent } from '../domain/workshop.events';

export const WORKSHOP_READ_MODEL = 'workshop-read-model';

/** Workshops and the solutions presented at them, for the list and detail endpoints. */
@Injectable()
export class WorkshopReadModelProjection implements EventConsumer {
  readonly name = WORKSHOP_READ_MODEL;
  readonly categories = ['workshop'];
  readonly batchSize = 500;

  filter(event: StoredEvent): boolean {
    return event.category === 'workshop';
  }

  async handle(events: StoredEvent[], tx: PoolClient): Promise<void> {
    for (const stored of events) await this.apply(stored as StoredEvent & WorkshopEvent, tx);
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE workshops, workshop_solutions');
  }

  private async apply(event: StoredEvent & WorkshopEvent, tx: PoolClient): Promise<void> {
    const stamp = [event.version, event.position];
    switch (event.type) {
      case 'WorkshopPlanned': {
        const d = event.data;
        await tx.query(
          `INSERT INTO workshops (id, title, host_institution, city, country, starts_on, ends_on, themes, status, planned_at, version, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'planned', $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
          [d.workshopId, d.title, d.hostInstitution, d.city, d.country, d.startsOn, d.endsOn, JSON.stringify(d.themes), d.plannedAt, ...stamp],
        );
        return;
      }
      case 'WorkshopSessionAdded': {
        const { workshopId, ...session } = event.data;
        await tx.query('UPDATE workshops SET sessions = sessions || $2::jsonb, version = $3, position = $4 WHERE id = $1', [
          workshopId,
          JSON.stringify([session]),
          ...stamp,
        ]);
        return;
      }
      case 'WorkshopRegistrationOpened':
        return this.setStatus(tx, event.data.workshopId, 'registration_open', stamp);
      case 'WorkshopStarted':
        return this.setStatus(tx, event.data.workshopId, 'in_progress', stamp);
      case 'WorkshopConcluded':
        return this.setStatus(tx, event.data.workshopId, 'concluded', stamp);
      case 'WorkshopSolutionPresented': {
        const d = event.data;
        await tx.query(
          `INSERT INTO workshop_solutions (workshop_id, solution_id, session_id, company, title, sector)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [d.workshopId, d.solutionId, d.sessionId, d.company, d.title, d.sector],
        );
        return this.touch(tx, d.workshopId, stamp);
      }
      case 'WorkshopParticipantsInvited':
      case 'WorkshopAttendanceRecorded':
        return this.touch(tx, event.data.workshopId, stamp);
    }
  }

  private async setStatus(tx: PoolClient, id: string, status: string, stamp: number[]): Promise<void> {
    await tx.query('UPDATE workshops SET status = $2, version = $3, position = $4 WHERE id = $1', [id, status, ...stamp]);
  }

  private async touch(tx: PoolClient, id: string, stamp: number[]): Promise<void> {
    await tx.query('UPDATE workshops SET version = $2, position = $3 WHERE id = $1', [id, ...stamp]);
  }
}
