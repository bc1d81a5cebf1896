import { isISO31661Alpha2 } from 'class-validator';
import { dateRange, localSessionTimes, localTime, wallClock, zoneLabel } from './local-time';
import { CAPITAL_TIME_ZONES, capitalTimeZone, isTimeZone, workshopTimeZone } from './time-zones';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const EVERY_PAIR = [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b));

describe("the zones of countries' capitals", () => {
  it('has a zone for every country the API accepts (ISO 3166-1 alpha-2)', () => {
    const accepted = EVERY_PAIR.filter((code) => isISO31661Alpha2(code));
    expect(accepted.length).toBeGreaterThanOrEqual(249);
    expect(accepted.filter((code) => !(code in CAPITAL_TIME_ZONES))).toEqual([]);
  });

  it('names a real IANA zone for every entry', () => {
    const invalid = Object.entries(CAPITAL_TIME_ZONES).filter(([, zone]) => !isTimeZone(zone));
    expect(invalid).toEqual([]);
    for (const zone of Object.values(CAPITAL_TIME_ZONES)) expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
  });

  it("gives the capital's zone for countries with several", () => {
    expect(capitalTimeZone('BR')).toBe('America/Sao_Paulo');
    expect(capitalTimeZone('cn')).toBe('Asia/Shanghai');
    expect(capitalTimeZone('US')).toBe('America/New_York');
    expect(capitalTimeZone('RU')).toBe('Europe/Moscow');
    expect(capitalTimeZone('AU')).toBe('Australia/Sydney');
    expect(capitalTimeZone('ID')).toBe('Asia/Jakarta');
    expect(workshopTimeZone({ country: 'BR' })).toBe('America/Sao_Paulo');
    expect(workshopTimeZone({ country: 'BR', timeZone: 'America/Manaus' })).toBe('America/Manaus');
  });

  it('accepts IANA names only', () => {
    for (const zone of ['Asia/Shanghai', 'America/Argentina/Buenos_Aires', 'UTC', 'Europe/Kiev', 'Etc/GMT+8']) expect(isTimeZone(zone)).toBe(true);
    for (const zone of ['Mars/Olympus_Mons', '+08:00', 'EST', 'asia/shanghai', '', 'Asia/Shanghai ', 8, null, undefined]) expect(isTimeZone(zone)).toBe(false);
  });
});

describe('local times', () => {
  it('writes an instant where the workshop happens, the zone named, in the reader language', () => {
    expect(localTime('2030-10-23T01:00:00Z', 'Asia/Shanghai')).toBe('09:00');
    expect(localSessionTimes('2030-10-23T01:00:00Z', '2030-10-23T04:00:00Z', 'Asia/Shanghai', 'en-GB')).toBe('23 October 2030, 09:00–12:00 China Standard Time');
    expect(localSessionTimes('2030-10-23T01:00:00Z', '2030-10-23T04:00:00Z', 'Asia/Shanghai', 'fr')).toBe('23 octobre 2030, 09:00–12:00 heure normale de la Chine');
    expect(zoneLabel('America/Sao_Paulo', 'en', '2030-10-23T12:00:00Z')).toBe('Brasilia Standard Time (America/Sao_Paulo)');
  });

  it('gives the wall-clock time at the venue, midnight as 00, the day as the venue has it', () => {
    expect(wallClock('2030-10-23T01:00:00Z', 'Asia/Shanghai')).toBe('2030-10-23T09:00:00');
    expect(wallClock('2030-10-22T16:00:05.900Z', 'Asia/Shanghai')).toBe('2030-10-23T00:00:05');
    expect(wallClock('2030-10-23T01:30:00Z', 'America/Sao_Paulo')).toBe('2030-10-22T22:30:00');
    // Summer time: Paris is UTC+2 in July and UTC+1 in January.
    expect(wallClock('2030-07-01T10:00:00Z', 'Europe/Paris')).toBe('2030-07-01T12:00:00');
    expect(wallClock('2030-01-01T10:00:00Z', 'Europe/Paris')).toBe('2030-01-01T11:00:00');
    expect(wallClock('2030-01-01T10:00:00Z', 'UTC')).toBe('2030-01-01T10:00:00');
  });
});

describe('a range of days', () => {
  const long = (language: string) => new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const range = (language: string, from: string, to: string) => dateRange(long(language), new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`));

  it('is the language\'s own compact range where it keeps the words of a date', () => {
    expect(range('fr', '2026-03-03', '2026-03-05')).toBe('3–5 mars 2026');
    expect(range('ru', '2026-03-30', '2026-04-02').replace(/\s/g, ' ')).toBe('30 марта – 2 апреля 2026 г.');
  });

  it('writes both days in full where the range pattern would drop them (Chinese)', () => {
    expect(range('zh', '2026-03-03', '2026-03-05')).toBe('2026年3月3日 – 2026年3月5日');
  });
});
