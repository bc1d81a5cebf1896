import type { IncomingHttpHeaders } from 'node:http';
import type { JwtService } from '@nestjs/jwt';
import type { Role } from '@passerelle/platform';
import { isBoardWrite } from './board-actions';

export const QUEUE_BOARD_ROUTE = '/admin/queues';
export const BOARD_COOKIE = 'passerelle_board';

/** Who is looking at the board, from the token the login gave them (the role of their account). */
export interface BoardUser {
  id: string;
  role: Role;
}

/** What the board answers instead of itself (a refusal, or the redirect that moves a token into the cookie), or who may go on. */
export type BoardGate = { status: 401 | 403; detail: string } | { redirectWithCookie: string } | { user: BoardUser };

export interface BoardRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * Admin and staff see the queues; only an admin changes them (any request but a read). A browser opens
 * `/admin/queues?access_token=<token from login>` once: the token moves into an HttpOnly cookie scoped
 * to the board, and the address loses it.
 */
export async function boardGate(jwt: JwtService, request: BoardRequest): Promise<BoardGate> {
  const fromQuery = new URL(request.url, 'http://board').searchParams.get('access_token') ?? undefined;
  const header = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const cookie = (request.headers.cookie ?? '')
    .split(/;\s*/)
    .find((c) => c.startsWith(`${BOARD_COOKIE}=`))
    ?.slice(BOARD_COOKIE.length + 1);
  const token = fromQuery ?? header ?? cookie;
  const claims = token ? await jwt.verifyAsync<{ sub: string; role: Role }>(token).catch(() => null) : null;
  if (!claims) return { status: 401, detail: 'Log in as staff and open /admin/queues?access_token=<accessToken>' };
  if (claims.role !== 'admin' && claims.role !== 'staff') return { status: 403, detail: 'The queues are for admin and staff' };
  if (isBoardWrite(request.method) && claims.role !== 'admin') return { status: 403, detail: 'Staff see the queues; only an admin may change them' };
  return fromQuery ? { redirectWithCookie: fromQuery } : { user: { id: claims.sub, role: claims.role } };
}

/** The board's cookie: HttpOnly, for the board's paths only, and Secure when the app is served over https. */
export function boardCookie(token: string, appBaseUrl: string): string {
  const secure = new URL(appBaseUrl).protocol === 'https:' ? '; Secure' : '';
  return `${BOARD_COOKIE}=${token}; Path=${QUEUE_BOARD_ROUTE}; HttpOnly; SameSite=Strict${secure}`;
}

/**
 * The queue list as staff see it: every queue read-only, so the board's page offers them no action
 * (the server refuses them anyway). `answer` is the JSON the board gave.
 */
export function readOnlyQueueList(answer: string): string {
  let list: { queues?: Record<string, unknown>[] };
  try {
    list = JSON.parse(answer) as typeof list;
  } catch {
    return answer;
  }
  if (!Array.isArray(list.queues)) return answer;
  const queues = list.queues.map((queue) => ({ ...queue, readOnlyMode: true, allowRetries: false, allowCompletedRetries: false }));
  return JSON.stringify({ ...list, queues });
}
