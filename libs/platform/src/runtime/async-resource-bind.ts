import { AsyncResource } from 'node:async_hooks';

type Bind = (this: AsyncResource, fn: (...args: any[]) => unknown, thisArg?: unknown) => (...args: any[]) => unknown;

const resources = new WeakMap<object, AsyncResource>();
let warned = false;

function warnOnce(): void {
  if (warned) return;
  warned = true;
  process.emitWarning('The asyncResource property on bound functions is deprecated', 'DeprecationWarning', 'DEP0172');
}

/** The deprecated `asyncResource` accessor: one getter and setter, shared by every bound function. */
const asyncResourceProperty: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: object) {
    warnOnce();
    return resources.get(this);
  },
  set(this: object, value: AsyncResource) {
    warnOnce();
    resources.set(this, value);
  },
};

/** Whether this Node builds two `util.deprecate` wrappers on every `AsyncResource#bind` (Node 20 does). */
function bindIsCostly(): boolean {
  const bound = new AsyncResource('passerelle:probe').bind(() => undefined);
  return typeof Object.getOwnPropertyDescriptor(bound, 'asyncResource')?.get === 'function' && !resources.has(bound);
}

/**
 * Node 20's `AsyncResource#bind` gives every function it binds a deprecated `asyncResource` accessor made of two new
 * `util.deprecate` wrappers, which costs about 10 µs a call; Fastify binds one function for every request that has
 * a body. This `bind` does the same (the function runs in the resource's async scope, with the same `this`, arguments
 * and `length`, and `asyncResource` still reads and writes the resource, with the same warning, once) but shares one
 * accessor. Idempotent; does nothing on a Node whose `bind` does not build the wrappers.
 */
export function shareAsyncResourceAccessor(): void {
  if (!bindIsCostly()) return;
  const original = AsyncResource.prototype.bind as Bind;
  const bind: Bind = function (this: AsyncResource, fn, thisArg) {
    if (typeof fn !== 'function') return original.call(this, fn, thisArg); // Node's own error
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : resource.runInAsyncScope.bind(resource, fn, thisArg);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, writable: false, value: fn.length });
    Object.defineProperty(bound, 'asyncResource', asyncResourceProperty);
    resources.set(bound, resource);
    return bound;
  };
  AsyncResource.prototype.bind = bind as typeof AsyncResource.prototype.bind;
}
