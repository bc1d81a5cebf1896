import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';

const HTML = { 'text/html': { schema: { type: 'string' } } };

/**
 * A page for people (not JSON): a summary, its answers, each an HTML page (or a 303 to one). What the
 * document says of a page, so that it lists every route the app serves.
 */
export function ApiPage(summary: string, answers: Record<number, string>, description?: string) {
  return applyDecorators(
    ApiOperation({ summary, description }),
    ...Object.entries(answers).map(([status, text]) =>
      Number(status) === 303
        ? ApiResponse({ status: 303, description: text, headers: { Location: { description: 'the page to show next', schema: { type: 'string' } } } })
        : ApiResponse({ status: Number(status), description: text, content: HTML }),
    ),
  );
}
