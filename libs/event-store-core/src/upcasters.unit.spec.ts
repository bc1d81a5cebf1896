import { UpcasterRegistry } from './upcasters';

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry()
    .register('ParticipantInvited', 1, (data: { name: string }) => ({ fullName: data.name }))
    .register('ParticipantInvited', 2, (data: { fullName: string }) => ({ ...data, language: 'en' }));

  it('upcasts step by step to the current version', () => {
    expect(registry.upcast('ParticipantInvited', 1, { name: 'Siti Rahma' })).toEqual({
      schemaVersion: 3,
      data: { fullName: 'Siti Rahma', language: 'en' },
    });
    expect(registry.upcast('ParticipantInvited', 2, { fullName: 'A' })).toEqual({ schemaVersion: 3, data: { fullName: 'A', language: 'en' } });
  });

  it('leaves current and unknown types alone', () => {
    expect(registry.upcast('ParticipantInvited', 3, { x: 1 })).toEqual({ schemaVersion: 3, data: { x: 1 } });
    expect(registry.upcast('Other', 1, { x: 1 })).toEqual({ schemaVersion: 1, data: { x: 1 } });
  });

  it('knows the current version of each type', () => {
    expect(registry.currentVersion('ParticipantInvited')).toBe(3);
    expect(registry.currentVersion('Other')).toBe(1);
  });

  it('refuses two upcasters for the same step', () => {
    expect(() => registry.register('ParticipantInvited', 1, (d) => d)).toThrow(/already registered/);
  });
});
