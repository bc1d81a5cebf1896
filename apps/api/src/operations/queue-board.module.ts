import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CALL_CLOSING_QUEUE } from '@passerelle/calls';
import { INVITATION_MAIL_QUEUE } from '@passerelle/invitations';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { REMINDER_SWEEPS_QUEUE, REMINDERS_QUEUE } from '@passerelle/reminders';
import { REPORT_QUEUE } from '@passerelle/reporting';
import { AccessTokens, AppConfig, AuthModule, plainProblem, PROCESS_LOGGER } from '@passerelle/platform';
import { OperationsModule, RecordQueueActions } from '@passerelle/operations';
import { actionsOf, isBoardWrite } from './queue-board/board-actions';
import { boardCookie, boardGate, type BoardUser, QUEUE_BOARD_ROUTE, readOnlyQueueList } from './queue-board/board-access';

export { QUEUE_BOARD_ROUTE } from './queue-board/board-access';

/** The queues the board shows; "pause all" and "resume all" act on each of them. */
export const BOARD_QUEUES = [INVITATION_MAIL_QUEUE, REMINDER_SWEEPS_QUEUE, REMINDERS_QUEUE, NOTIFICATION_MAIL_QUEUE, REPORT_QUEUE, CALL_CLOSING_QUEUE] as const;

/** The route's pattern under the board (`''` for the board's page, `/api/queues/:queueName/pause`), or null off the board. */
function boardRoute(request: FastifyRequest): string | null {
  const route = request.routeOptions.url;
  if (route === QUEUE_BOARD_ROUTE) return '';
  return route?.startsWith(`${QUEUE_BOARD_ROUTE}/`) ? route.slice(QUEUE_BOARD_ROUTE.length) : null;
}

/**
 * Guards every route of the board, whatever the path under it (a hook on each request whose matched
 * route is the board's, before the board runs), and records what an admin's writes did once the board
 * has answered that they succeeded (a hook on the answer, before it leaves).
 */
@Injectable()
class QueueBoardGuard implements OnModuleInit {
  private readonly users = new WeakMap<FastifyRequest, BoardUser>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly commands: CommandBus,
    @Inject(PROCESS_LOGGER) private readonly logger: Logger,
    private readonly tokens: AccessTokens,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      if (boardRoute(request) === null) return;
      const gate = await boardGate(this.tokens, request);
      if ('user' in gate) {
        this.users.set(request, gate.user);
        return;
      }
      if ('redirectWithCookie' in gate) {
        return reply.code(303).header('Set-Cookie', boardCookie(gate.redirectWithCookie, this.config.APP_BASE_URL)).header('Location', QUEUE_BOARD_ROUTE).send();
      }
      return reply.code(gate.status).type('application/problem+json').send(JSON.stringify(plainProblem(gate.status, gate.detail)));
    });
    fastify.addHook('onSend', async (request, reply, payload: unknown) => {
      const route = boardRoute(request);
      const user = this.users.get(request);
      if (route === null || user === undefined) return payload;
      if (isBoardWrite(request.method)) return this.record(request, reply, route, user, payload);
      const staffList = user.role !== 'admin' && route === '/api/queues' && reply.statusCode === 200 && typeof payload === 'string';
      return staffList ? readOnlyQueueList(payload) : payload;
    });
  }

  /**
   * Records what a write did, only once the board answered 2xx: a refused or failed action (no such
   * job, a job held by a worker) changed nothing and is not in the audit. The answer waits for the
   * record; if it cannot be stored, the admin is told (503) and the log keeps the action.
   */
  private async record(request: FastifyRequest, reply: FastifyReply, route: string, user: BoardUser, payload: unknown): Promise<unknown> {
    if (reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const actions = actionsOf({ method: request.method, route, params, answer: typeof payload === 'string' ? payload : '' }, BOARD_QUEUES);
    const context = { actor: user.id, correlationId: String(request.id), causationId: null };
    try {
      await this.commands.execute(new RecordQueueActions(actions, context));
      return payload;
    } catch (err) {
      this.logger.error({ err, actions, ...context }, 'A queue action was carried out but could not be recorded in the audit');
      reply.code(503).type('application/problem+json');
      return JSON.stringify(plainProblem(503, 'The action was carried out, but the audit could not record it: the API log keeps it'));
    }
  }
}

/** Bull Board for the queues, at /admin/queues: staff read it, admins act on it, and every action is in the audit. */
@Module({
  imports: [
    OperationsModule,
    AuthModule,
    BullBoardModule.forRootAsync({
      useFactory: () => ({
        route: QUEUE_BOARD_ROUTE,
        adapter: FastifyAdapter,
        boardOptions: { uiConfig: { boardTitle: 'Passerelle queues' } },
      }),
    }),
    BullBoardModule.forFeature(...BOARD_QUEUES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
  providers: [QueueBoardGuard],
})
export class QueueBoardModule {}
