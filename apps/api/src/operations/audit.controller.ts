import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { ApiAnswers, Roles, ValidationProblem } from '@passerelle/platform';
import { uuid } from '../common/uuid.pipe';
import { AuditEventView } from './audit.views';

/** Every event of one stream, with who did it and under which request: for admins. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly store: PostgresEventStore) {}

  @ApiAnswers('Read every event of one stream, with who did it and under which request (admins)', 200, [AuditEventView], [400, 401, 403, 404])
  @Get(':streamType/:id')
  async stream(@Param('streamType') streamType: string, @Param('id', uuid('id')) id: string) {
    if (!/^[a-z][a-z-]{0,39}$/.test(streamType)) {
      throw new ValidationProblem([{ field: 'streamType', message: 'must be a stream type such as workshop or proposal' }]);
    }
    const events = await this.store.readStream(`${streamType}-${id}`);
    if (events.length === 0) throw new NotFoundException('No such stream');
    return events.map((event) => ({
      type: event.type,
      version: event.version,
      position: event.position,
      data: event.data,
      metadata: { actor: event.metadata.actor, correlationId: event.metadata.correlationId, causationId: event.metadata.causationId },
      recordedAt: event.recordedAt.toISOString(),
    }));
  }
}
