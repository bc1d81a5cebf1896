import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { ApiAnswers, type FieldError, Roles, ValidationProblem } from '@passerelle/platform';
import { AuditEventView } from './audit.views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stream types whose ids are names rather than UUIDs: a queue's stream is `queue-<queue name>`. */
const NAMED_IDS = new Map<string, { pattern: RegExp; message: string }>([['queue', { pattern: /^[a-z][a-z0-9-]{0,63}$/, message: 'must be a queue name such as invitation-mail' }]]);

/** Every event of one stream, with who did it and under which request: for admins. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly store: PostgresEventStore) {}

  @ApiAnswers('Read every event of one stream, with who did it and under which request (admins)', 200, [AuditEventView], [400, 401, 403, 404])
  @ApiParam({ name: 'id', description: "the stream's id: a UUID, or a queue's name for the stream type queue (what admins did on the queue board)" })
  @Get(':streamType/:id')
  async stream(@Param('streamType') streamType: string, @Param('id') id: string) {
    const errors: FieldError[] = [];
    if (!/^[a-z][a-z-]{0,39}$/.test(streamType)) errors.push({ field: 'streamType', message: 'must be a stream type such as workshop or proposal' });
    const named = NAMED_IDS.get(streamType);
    if (named ? !named.pattern.test(id) : !UUID.test(id)) errors.push({ field: 'id', message: named?.message ?? 'must be a UUID' });
    if (errors.length > 0) throw new ValidationProblem(errors);
    const events = await this.store.readStream(`${streamType}-${id}`);
    if (events.length === 0) throw new NotFoundException('No such stream');
    return events.map((event) => ({
      type: event.type,
      version: event.version,
      position: event.position,
      data: event.data,
      metadata: { actor: event.metadata.actor, correlationId: event.metadata.correlationId, causationId: event.metadata.causationId },
      recordedAt: event.recordedAt.toISOString(),
      ...(event.personalDataErased ? { personalDataErased: true } : {}),
    }));
  }
}
