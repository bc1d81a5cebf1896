import { type MasterKey, masterKey, unwrapKey, wrapKey } from './key-wrap';

/**
 * The master keys a process knows: the current one, which wraps every new key, and the previous
 * ones of a rotation in progress, which only unwrap. A wrapped key names its master key by id.
 */
export class MasterKeyRing {
  readonly current: MasterKey;
  private readonly byId = new Map<string, MasterKey>();

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.current = masterKey(current);
    for (const key of [this.current, ...previous.map(masterKey)]) if (!this.byId.has(key.id)) this.byId.set(key.id, key);
  }

  knows(masterKeyId: string): boolean {
    return this.byId.has(masterKeyId);
  }

  wrap(key: Buffer, context: string): { wrapped: Buffer; masterKeyId: string } {
    return { wrapped: wrapKey(this.current, key, context), masterKeyId: this.current.id };
  }

  /** The key, or undefined when its master key is not on this ring or the wrapping does not verify. */
  unwrap(wrapped: Buffer, masterKeyId: string, context: string): Buffer | undefined {
    const master = this.byId.get(masterKeyId);
    return master && unwrapKey(master, wrapped, context);
  }
}
