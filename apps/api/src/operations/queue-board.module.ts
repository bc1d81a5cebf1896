import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { INVITATION_MAIL_QUEUE, INVITATION_REMINDERS_QUEUE } from '@passerelle/invitations';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { REPORT_QUEUE } from '@passerelle/reporting';
import { AccessTokens, AuthModule, plainProblem } from '@passerelle/platform';

export const QUEUE_BOARD_ROUTE = '/admin/queues';
const COOKIE = 'passerelle_board';

/** What the board answers instead of itself: a refusal, or the redirect that moves a token into the cookie. */
type BoardGate = { status: 401 | 403; detail: string } | { redirectWithCookie: string } | null;

/**
 * Only admin and staff see the queues. A browser opens `/admin/queues?access_token=<token from login>`
 * once: the token moves into an HttpOnly cookie scoped to the board, and the address loses it.
 */
export async function boardGate(tokens: AccessTokens, url: string, headers: IncomingHttpHeaders): Promise<BoardGate> {
  const fromQuery = new URL(url, 'http://board').searchParams.get('access_token') ?? undefined;
  const header = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  const cookie = (headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
  const token = fromQuery ?? header ?? cookie;
  // As the API's guard sees it: the account's role now, and nothing for a revoked or closed account's token.
  const claims = token ? await tokens.authenticate(token).catch(() => null) : null;
  if (!claims) return { status: 401, detail: 'Log in as staff and open /admin/queues?access_token=<accessToken>' };
  if (claims.role !== 'admin' && claims.role !== 'staff') return { status: 403, detail: 'The queues are for admin and staff' };
  return fromQuery ? { redirectWithCookie: fromQuery } : null;
}

/**
 * Guards every route of the board, whatever the path under it: a hook on each request whose matched
 * route is the board's, before the board runs.
 */
@Injectable()
class QueueBoardGuard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: AccessTokens,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions.url;
      if (route === undefined || (route !== QUEUE_BOARD_ROUTE && !route.startsWith(`${QUEUE_BOARD_ROUTE}/`))) return;
      const gate = await boardGate(this.tokens, request.url, request.headers);
      if (gate === null) return;
      if ('redirectWithCookie' in gate) {
        return reply
          .code(303)
          .header('Set-Cookie', `${COOKIE}=${gate.redirectWithCookie}; Path=${QUEUE_BOARD_ROUTE}; HttpOnly; SameSite=Strict`)
          .header('Location', QUEUE_BOARD_ROUTE)
          .send();
      }
      return reply.code(gate.status).type('application/problem+json').send(JSON.stringify(plainProblem(gate.status, gate.detail)));
    });
  }
}

/** Bull Board for the queues, at /admin/queues. */
@Module({
  imports: [
    AuthModule,
    BullBoardModule.forRootAsync({
      useFactory: () => ({
        route: QUEUE_BOARD_ROUTE,
        adapter: FastifyAdapter,
        boardOptions: { uiConfig: { boardTitle: 'Passerelle queues' } },
      }),
    }),
    BullBoardModule.forFeature(
      { name: INVITATION_MAIL_QUEUE, adapter: BullMQAdapter },
      { name: INVITATION_REMINDERS_QUEUE, adapter: BullMQAdapter },
      { name: NOTIFICATION_MAIL_QUEUE, adapter: BullMQAdapter },
      { name: REPORT_QUEUE, adapter: BullMQAdapter },
    ),
  ],
  providers: [QueueBoardGuard],
})
export class QueueBoardModule {}
