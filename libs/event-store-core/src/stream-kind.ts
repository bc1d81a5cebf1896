/** Builds the stream id of one entity of a kind: `workshop-<id>`. */
export type StreamIdBuilder = (id: string) => string;
/** The entity's id in a stream id of its kind; throws on a stream id of another kind. */
export type StreamIdParser = (streamId: string) => string;

/**
 * The build/parse pair of one stream kind, whose category is `category`: the only place that knows
 * how its stream ids are spelt. `const [workshopStream, workshopIdOf] = streamKind('workshop')`.
 */
export function streamKind(category: string): readonly [StreamIdBuilder, StreamIdParser] {
  if (!/^[a-z][a-z0-9]*$/.test(category)) throw new Error(`A stream category is lowercase letters and digits, not "${category}"`);
  const prefix = `${category}-`;
  const build: StreamIdBuilder = (id) => prefix + id;
  const parse: StreamIdParser = (streamId) => {
    if (!streamId.startsWith(prefix) || streamId.length === prefix.length) {
      throw new Error(`"${streamId}" is not a ${category} stream id`);
    }
    return streamId.slice(prefix.length);
  };
  return [build, parse];
}
