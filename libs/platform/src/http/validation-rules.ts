import { getMetadataStorage } from 'class-validator';
type Storage = ReturnType<typeof getMetadataStorage>;
type Rules = ReturnType<Storage['getTargetValidationMetadatas']>;
type Grouped = ReturnType<Storage['groupByPropertyName']>;

const remembering = Symbol('passerelle.rememberValidationRules');

/**
 * class-validator finds a class's rules anew on every validation: it scans every decorated class in the
 * process for the ones it inherits from, filters the rules, and groups them by property. For a command's
 * body that was about a sixth of the validation. A class's rules are all registered when it is defined,
 * so the answer for a class stays the same while no rule is added: it is kept from the first lookup, and
 * all that is kept is dropped whenever a rule is added. Idempotent.
 */
export function rememberValidationRules(): void {
  const storage = getMetadataStorage() as Storage & { [remembering]?: true };
  if (storage[remembering]) return;
  storage[remembering] = true;
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let rules = new WeakMap<Function, Map<string, Rules>>();
  let grouped = new WeakMap<Rules, Grouped>();

  storage.addValidationMetadata = (metadata) => {
    rules = new WeakMap();
    grouped = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}\u0000${groups?.length ?? -1}`;
    let forTarget = rules.get(target);
    if (!forTarget) rules.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
}
