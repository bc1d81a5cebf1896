export type Upcaster = (data: any) => any;

/**
 * Functions from (type, old schema version) to the next version's shape.
 * Applied on read, one step at a time, until no step is registered; stored rows are never rewritten.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    const key = `${type}@${fromVersion}`;
    if (this.steps.has(key)) throw new Error(`An upcaster for ${key} is already registered`);
    this.steps.set(key, upcast);
    return this;
  }

  /** The current schema version of a type: one past the last registered step (1 if none). */
  currentVersion(type: string): number {
    let version = 1;
    while (this.steps.has(`${type}@${version}`)) version += 1;
    return version;
  }

  upcast(type: string, schemaVersion: number, data: unknown): { schemaVersion: number; data: unknown } {
    let version = schemaVersion;
    let current = data;
    for (let step = this.steps.get(`${type}@${version}`); step; step = this.steps.get(`${type}@${version}`)) {
      current = step(current);
      version += 1;
    }
    return { schemaVersion: version, data: current };
  }
}
