import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TypeScript from 'typescript';

/** One event type found in an events file, and the paths of the string fields of its data. */
export interface EventStringFields {
  /** The events file, relative to the repository (`libs/invitations/src/domain/invitation.events.ts`). */
  file: string;
  /** The exported union it belongs to (`InvitationEvent`). */
  union: string;
  /** Its type string (`InvitationIssued`). */
  type: string;
  /** Every string-typed field of its data, in the notation of `StringPaths` (`contact.email`, `sectors[]`). */
  paths: string[];
}

/** Every `libs/<library>/src/domain/*.events.ts` of the repository at `root`: a new context is found too. */
export function findEventsFiles(root: string): string[] {
  const libs = path.join(root, 'libs');
  return fs
    .readdirSync(libs)
    .flatMap((lib) => {
      const domain = path.join(libs, lib, 'src', 'domain');
      if (!fs.existsSync(domain)) return [];
      return fs
        .readdirSync(domain)
        .filter((name) => name.endsWith('.events.ts'))
        .map((name) => path.join(domain, name));
    })
    .sort();
}

/**
 * Reads the events files with the TypeScript compiler, as the compiler sees them: every exported type whose
 * members are all `{ type: '<literal>', data }` is an event union, and each member's `data` type is walked
 * into objects, intersections, arrays and tuples for the fields that hold strings (string, string literals
 * and their unions, nullable or optional).
 */
export function eventStringFields(root: string, files: string[]): EventStringFields[] {
  // Loaded here, not at the top: the other helpers of this library do not pay for the compiler.
  const ts: typeof TypeScript = require('typescript');
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, host);
  const program = ts.createProgram(files, { ...(config?.options ?? {}), types: [], noEmit: true });
  const checker = program.getTypeChecker();

  const walk = (type: TypeScript.Type, prefix: string, seen: Set<TypeScript.Type>, out: Set<string>): void => {
    for (const part of type.isUnion() ? type.types : [type]) {
      if (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never)) continue;
      if (part.flags & ts.TypeFlags.StringLike) {
        out.add(prefix);
      } else if (checker.isArrayType(part) || checker.isTupleType(part)) {
        for (const item of checker.getTypeArguments(part as TypeScript.TypeReference)) walk(item, `${prefix}[]`, seen, out);
      } else if (part.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection) && !seen.has(part)) {
        if (checker.getSignaturesOfType(part, ts.SignatureKind.Call).length > 0) continue;
        const inner = new Set(seen).add(part);
        for (const property of checker.getPropertiesOfType(part)) {
          walk(checker.getTypeOfSymbol(property), prefix ? `${prefix}.${property.name}` : property.name, inner, out);
        }
      }
    }
  };
  const property = (type: TypeScript.Type, name: string) => {
    const symbol = checker.getPropertyOfType(type, name);
    return symbol && checker.getTypeOfSymbol(symbol);
  };

  return files.flatMap((file) => {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`The compiler could not read ${file}`);
    return checker.getExportsOfModule(module).flatMap((symbol) => {
      if (!(symbol.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface))) return [];
      const declared = checker.getDeclaredTypeOfSymbol(symbol);
      const members = declared.isUnion() ? declared.types : [declared];
      const events = members.map((member) => ({ tag: property(member, 'type'), data: property(member, 'data') }));
      if (!events.every(({ tag, data }) => tag?.isStringLiteral() && data)) return [];
      return events.map(({ tag, data }) => {
        const paths = new Set<string>();
        walk(data!, '', new Set(), paths);
        const type = (tag as TypeScript.StringLiteralType).value;
        return { file: path.relative(root, file), union: symbol.name, type, paths: [...paths].sort() };
      });
    });
  });
}
