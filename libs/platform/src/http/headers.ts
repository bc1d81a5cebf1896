import type { FastifyRequest } from 'fastify';

/** A request header as one string (repeated ones joined, as Node joins them), or undefined. */
export function header(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
