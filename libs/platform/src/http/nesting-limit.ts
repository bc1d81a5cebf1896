import { ValidationProblem } from './problem';

/** Far deeper than any body here goes (`participants.3.email` is three levels deep). */
const MAX_NESTING = 32;

/**
 * Refuses a body nested deeper than MAX_NESTING, naming each top-level field that is (`body` when the
 * body itself is an array). The validation pipe and the Idempotency-Key fingerprint walk a body
 * recursively, so a few thousand nested arrays would overflow the stack: a 500. Checked where the body
 * is parsed, before anything else sees it.
 */
export function refuseDeepNesting(body: unknown): void {
  const fields = fieldsTooDeep(body);
  if (fields.length > 0) {
    throw new ValidationProblem(fields.map((field) => ({ field, message: `is nested more than ${MAX_NESTING} levels deep` })));
  }
}

function fieldsTooDeep(body: unknown): string[] {
  if (Array.isArray(body)) return nestedBeyond(body, MAX_NESTING) ? ['body'] : [];
  if (!isContainer(body)) return [];
  return Object.keys(body).filter((field) => nestedBeyond(body[field], MAX_NESTING - 1));
}

const isContainer = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Whether `value` holds objects or arrays more than `levels` deep; the walk stops there. */
function nestedBeyond(value: unknown, levels: number): boolean {
  if (!isContainer(value)) return false;
  if (levels === 0) return true;
  return Object.values(value).some((child) => nestedBeyond(child, levels - 1));
}
