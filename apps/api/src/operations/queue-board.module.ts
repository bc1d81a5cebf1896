import { createSecretKey } from 'node:crypto';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { INVITATION_MAIL_QUEUE, INVITATION_REMINDERS_QUEUE } from '@passerelle/invitations';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { REPORT_QUEUE } from '@passerelle/reporting';
import { AppConfig } from '@passerelle/platform';

export const QUEUE_BOARD_ROUTE = '/admin/queues';
const COOKIE = 'passerelle_board';

/**
 * Only admin and staff see the queues. A browser opens `/admin/queues?access_token=<token from login>`
 * once: the token moves into an HttpOnly cookie scoped to the board, and the address loses it.
 * It runs before the board's own routes, on Node's request and response.
 */
export function staffOnly(jwt: JwtService) {
  return async (request: IncomingMessage, response: ServerResponse, next: (err?: unknown) => void) => {
    const fromQuery = new URL(request.url ?? '/', 'http://board').searchParams.get('access_token') ?? undefined;
    const header = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const cookie = (request.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
    const token = fromQuery ?? header ?? cookie;
    const claims = token ? await jwt.verifyAsync<{ role: string }>(token).catch(() => null) : null;
    if (!claims || (claims.role !== 'admin' && claims.role !== 'staff')) {
      const status = claims ? 403 : 401;
      response.writeHead(status, { 'Content-Type': 'application/problem+json' }).end(
        JSON.stringify({
          type: `https://passerelle.local/problems/${claims ? 'forbidden' : 'unauthorized'}`,
          title: claims ? 'Forbidden' : 'Unauthorized',
          status,
          detail: claims ? 'The queues are for admin and staff' : 'Log in as staff and open /admin/queues?access_token=<accessToken>',
        }),
      );
      return;
    }
    if (fromQuery) {
      response
        .writeHead(303, { 'Set-Cookie': `${COOKIE}=${fromQuery}; Path=${QUEUE_BOARD_ROUTE}; HttpOnly; SameSite=Strict`, Location: QUEUE_BOARD_ROUTE })
        .end();
      return;
    }
    next();
  };
}

/** Bull Board for the queues, at /admin/queues. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        route: QUEUE_BOARD_ROUTE,
        adapter: FastifyAdapter,
        middleware: staffOnly(new JwtService({ secret: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as string, verifyOptions: { algorithms: ['HS256'] } })),
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
})
export class QueueBoardModule {}
