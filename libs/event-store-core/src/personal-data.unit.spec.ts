import { type AnyPersonalData, personalDataRegistry } from './personal-data';

const none: AnyPersonalData = { personal: [], notPersonal: ['id'] };
const named: AnyPersonalData = { personal: [{ path: 'email', subject: 'email' }], notPersonal: ['id'] };

describe('personalDataRegistry', () => {
  it('maps each event type to its declaration and its context', () => {
    const registry = personalDataRegistry({ greetings: { Greeted: named }, farewells: { Waved: none } });
    expect(registry.get('Greeted')).toEqual({ context: 'greetings', fields: named });
    expect(registry.get('Waved')).toEqual({ context: 'farewells', fields: none });
    expect(registry.size).toBe(2);
  });

  it('refuses an event type that two contexts declare', () => {
    expect(() => personalDataRegistry({ greetings: { Greeted: named }, farewells: { Waved: none, Greeted: none } })).toThrow(
      'Event type Greeted is declared by both greetings and farewells',
    );
  });
});
