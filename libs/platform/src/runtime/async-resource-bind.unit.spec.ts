import { AsyncLocalStorage, AsyncResource, executionAsyncId } from 'node:async_hooks';
import { shareAsyncResourceAccessor } from './async-resource-bind';

const nodeBind = AsyncResource.prototype.bind;
const nodeBuildsWrappers = typeof Object.getOwnPropertyDescriptor(new AsyncResource('probe').bind(() => 1), 'asyncResource')?.get === 'function';

describe('shareAsyncResourceAccessor', () => {
  beforeAll(() => shareAsyncResourceAccessor());

  it('replaces bind where Node builds the wrappers, once however often it is called', () => {
    const replaced = AsyncResource.prototype.bind;
    expect(replaced !== nodeBind).toBe(nodeBuildsWrappers);
    shareAsyncResourceAccessor();
    expect(AsyncResource.prototype.bind).toBe(replaced);
  });

  it("runs the function in the resource's async scope, whatever scope calls it", () => {
    const storage = new AsyncLocalStorage<string>();
    const resource = storage.run('the request', () => new AsyncResource('test'));
    const bound = resource.bind(() => ({ store: storage.getStore(), id: executionAsyncId() }));
    expect(storage.run('another', bound)).toEqual({ store: 'the request', id: resource.asyncId() });
  });

  it('passes this, arguments and the result, and keeps the length', () => {
    const resource = new AsyncResource('test');
    function add(this: { base: number } | undefined, a: number, b: number) {
      return (this?.base ?? 0) + a + b;
    }
    const bind = resource.bind.bind(resource) as (fn: Function, thisArg?: unknown) => Function;
    const bound = bind(add);
    expect(bound.call({ base: 100 }, 1, 2)).toBe(103);
    expect(bound.call(undefined, 1, 2)).toBe(3);
    expect(bound.length).toBe(2);
    expect(bind(add, { base: 10 }).call({ base: 100 }, 1, 2)).toBe(13);
  });

  it('still gives the resource through the deprecated asyncResource property, warning once', () => {
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const first = new AsyncResource('first');
      const second = new AsyncResource('second');
      const bound = first.bind(() => 1) as unknown as { asyncResource: AsyncResource };
      const other = second.bind(() => 2) as unknown as { asyncResource: AsyncResource };
      expect(bound.asyncResource).toBe(first);
      expect(other.asyncResource).toBe(second);
      bound.asyncResource = second;
      expect(bound.asyncResource).toBe(second);
      expect(Object.keys(bound)).toContain('asyncResource');
      const deprecations = emitWarning.mock.calls.filter((call) => call.includes('DEP0172'));
      expect(deprecations).toHaveLength(1);
    } finally {
      emitWarning.mockRestore();
    }
  });

  it("refuses what is not a function with Node's own error", () => {
    expect(() => new AsyncResource('test').bind('nope' as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
});
