import { createSecretKey } from 'node:crypto';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { JwtService } from '@nestjs/jwt';
import type { IncomingHttpHeaders } from 'node:http';
import { INVITATION_MAIL_QUEUE, INVITATION_REMINDERS_QUEUE } from '@passerelle/invitations';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { REPORT_QUEUE } from '@passerelle/reporting';
import { AppConfig, plainProblem } from '@passerelle/platform';

export const QUEUE_BOARD_ROUTE = '/admin/queues';
const COOKIE = 'passerelle_board';

/** What the board answers instead of itself: a refusal, or the redirect that moves a token into the cookie. */
type BoardGate = { status: 401 | 403; detail: string } | { redirectWithCookie: string } | null;

/**
 * Only admin and staff see the queues. A browser opens `/admin/queues?access_token=<token from login>`
 * once: the token moves into an HttpOnly cookie scoped to the board, and the address loses it.
 */
export async function boardGate(jwt: JwtService, url: string, headers: IncomingHttpHeaders): Promise<BoardGate> {
  const fromQuery = new URL(url, 'http://board').searchParams.get('access_token') ?? undefined;
  const header = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  const cookie = (headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
  const token = fromQuery ?? header ?? cookie;
  const claims = token ? await jwt.verifyAsync<{ role: string }>(token).catch(() => null) : null;
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
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const jwt = new JwtService({ secret: createSecretKey(Buffer.from(this.config.jwtSecret)) as unknown as string, verifyOptions: { algorithms: ['HS256'] } });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions.url;
      if (route === undefined || (route !== QUEUE_BOARD_ROUTE && !route.startsWith(`${QUEUE_BOARD_ROUTE}/`))) return;
      const gate = await boardGate(jwt, request.url, request.headers);
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
