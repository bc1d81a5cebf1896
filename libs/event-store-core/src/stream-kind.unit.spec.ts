import { streamKind } from './stream-kind';

describe('streamKind', () => {
  const [workshopStream, workshopIdOf] = streamKind('workshop');

  it('builds a stream id and parses it back', () => {
    expect(workshopStream('0b6f6c1e-2b7a-4f4e-9a43-5a1c7d0e9f11')).toBe('workshop-0b6f6c1e-2b7a-4f4e-9a43-5a1c7d0e9f11');
    expect(workshopIdOf('workshop-0b6f6c1e-2b7a-4f4e-9a43-5a1c7d0e9f11')).toBe('0b6f6c1e-2b7a-4f4e-9a43-5a1c7d0e9f11');
  });

  it('keeps dashes inside the id, and ids that look like another prefix', () => {
    expect(workshopIdOf(workshopStream('report-7'))).toBe('report-7');
    const [ministryStream, ministryCountryOf] = streamKind('ministry');
    expect(ministryStream('FR')).toBe('ministry-FR');
    expect(ministryCountryOf('ministry-FR')).toBe('FR');
  });

  it('refuses to parse a stream id of another kind', () => {
    expect(() => workshopIdOf('report-42')).toThrow('"report-42" is not a workshop stream id');
    expect(() => workshopIdOf('workshops-42')).toThrow('not a workshop stream id');
    expect(() => workshopIdOf('42')).toThrow('not a workshop stream id');
    expect(() => workshopIdOf('workshop-')).toThrow('not a workshop stream id');
  });

  it('refuses a category that would not survive the round trip', () => {
    expect(() => streamKind('work-shop')).toThrow('lowercase letters and digits');
  });
});
