import type { OpenApiPaths } from '@passerelle/platform';
import { QUEUE_BOARD_ROUTE } from './queue-board.module';

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } } } });

/**
 * The queue board in the OpenAPI document: it is Bull Board's, not a Nest controller's, so it is
 * described here. Its own JSON API under /admin/queues/api is the board page's, not the product's.
 */
export const QUEUE_BOARD_OPENAPI: OpenApiPaths = {
  [QUEUE_BOARD_ROUTE]: {
    get: {
      tags: ['operations'],
      summary: 'The queues (Bull Board), for admin and staff',
      description:
        'Open `/admin/queues?access_token=<accessToken>` once in a browser: the token moves into an HttpOnly cookie scoped to the board, and the address loses it. `Authorization: Bearer` works too.',
      security: [{ bearer: [] }],
      parameters: [{ in: 'query', name: 'access_token', required: false, description: 'an access token from POST /api/auth/login', schema: { type: 'string' } }],
      responses: {
        200: { description: 'the board', content: { 'text/html': { schema: { type: 'string' } } } },
        303: { description: 'the token, moved into the board\'s cookie: on to /admin/queues', headers: { Location: { schema: { type: 'string' } } } },
        401: problem('no token, or a bad or expired one'),
        403: problem('the role may not do this (admin and staff only)'),
      },
    },
  },
};
