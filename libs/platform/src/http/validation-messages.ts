import type { ValidationError } from '@nestjs/common';

/**
 * Rules that check what kind of value a field holds. When one of them fails, the others on the same
 * field (a length, a pattern, a range) only repeat it in words that do not fit ("title must be shorter
 * than or equal to 200 characters" for the number 42): its message is the one that helps.
 */
const TYPE_RULES = new Set(['isString', 'isNumber', 'isInt', 'isBoolean', 'isArray', 'isObject']);

/** Rules on a length, which say nothing of a value that has none (the number 42 for an e-mail address). */
const LENGTH_RULES = new Set(['maxLength', 'minLength', 'arrayMaxSize', 'arrayMinSize']);
const hasLength = (value: unknown) => typeof value === 'string' || Array.isArray(value);

/**
 * Left out. class-validator keeps the value on its error only when asked (validationError.value). A null is
 * sent, and is wrong as any other value of the wrong kind: where null may clear a field, it passes.
 */
const isMissing = (error: ValidationError): boolean => Object.prototype.hasOwnProperty.call(error, 'value') && error.value === undefined;

/**
 * What to say about one field that broke rules of its own: that it is required when it was left out
 * (whatever its other rules say of nothing), the kind of value expected when it has another kind, and
 * every broken rule otherwise (but a length, for a value that has none and breaks another rule).
 * Unknown fields say so plainly.
 */
export function messagesFor(error: ValidationError): string[] {
  const constraints = Object.entries(error.constraints ?? {});
  if (constraints.length === 0) return [];
  if (constraints.some(([rule]) => rule === 'whitelistValidation')) return ['is not a known field'];
  if (isMissing(error)) return [`${error.property} is required`];
  const typeRules = constraints.filter(([rule]) => TYPE_RULES.has(rule));
  if (typeRules.length > 0) return typeRules.map(([, message]) => message);
  const meaningful = hasLength(error.value) ? constraints : constraints.filter(([rule]) => !LENGTH_RULES.has(rule));
  return (meaningful.length > 0 ? meaningful : constraints).map(([, message]) => message);
}
