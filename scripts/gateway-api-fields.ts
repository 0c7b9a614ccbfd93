// The known fields of each Gateway API kind of the registry, read from the type declarations of
// @kubernetes-models/gateway-api (generated upstream from the Gateway API Go types), for
// `npm run generate`. The package ships its OpenAPI schemas only as compiled validators, which
// accept unknown fields, and no Gateway API CRD file is vendored; its declarations do name every
// field, so the TypeScript checker walks them here. Hand-written: no library turns declarations
// into a field tree.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ts from "typescript";
import { KINDS } from "../src/core/kinds.js";
import type { FieldRef, KnownFields } from "../src/core/strict/known-fields.js";

const PACKAGE = "@kubernetes-models/gateway-api";

function packageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${PACKAGE}/package.json`));
}

/** The package's version, as its package.json says. */
export function gatewayApiModelsVersion(): string {
  return (JSON.parse(readFileSync(join(packageDir(), "package.json"), "utf8")) as { version: string }).version;
}

/** The field tree of every Gateway API kind and version of the registry that the package declares. */
export function gatewayApiKnownFields(): KnownFields {
  const root = packageDir();
  const wanted = KINDS.filter((k) => k.family === "gateway-api").flatMap((k) => k.versions.map((v) => ({ key: `${k.group}/${v}/${k.kind}`, file: join(root, k.group, v, `${k.kind}.d.ts`) })));
  const present = wanted.filter(({ file }) => existsSync(file));
  const program = ts.createProgram(present.map((p) => p.file), { skipLibCheck: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true });
  const checker = program.getTypeChecker();
  const types: KnownFields["types"] = {};
  const names = new Map<ts.Type, string>();

  const refOf = (type: ts.Type): FieldRef => {
    let t = type;
    if (t.isUnion()) {
      const kept = t.types.filter((u) => (u.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
      const objects = kept.filter((u) => (u.flags & ts.TypeFlags.Object) !== 0);
      // A union of scalars (an enum) is a leaf; a union of several shapes is not narrowed here.
      if (objects.length !== 1 || kept.length !== 1) return 0;
      t = objects[0] as ts.Type;
    }
    if ((t.flags & ts.TypeFlags.Object) === 0) return 0;
    if (checker.isArrayType(t)) {
      const [element] = checker.getTypeArguments(t as ts.TypeReference);
      return element ? [refOf(element)] : [0];
    }
    const properties = checker.getPropertiesOfType(t);
    const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
    if (properties.length === 0) return index ? { map: refOf(index.type) } : 0;
    const known = names.get(t);
    if (known !== undefined) return known;
    const symbolName = t.aliasSymbol?.getName() ?? t.getSymbol()?.getName() ?? "Object";
    let name = symbolName.replace(/^IIoK8sSigsGatewayApiApis/, "").replace(/^__type$/, "Object");
    for (let n = 2; name in types; n++) name = `${symbolName}${n}`;
    names.set(t, name);
    types[name] = {};
    const isObject = properties.some((p) => p.getName() === "apiVersion") && properties.some((p) => p.getName() === "kind");
    const fields: Record<string, FieldRef> = {};
    for (const property of properties) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (!declaration) continue;
      // The API server checks an object's metadata itself (ObjectMeta), not the CRD's schema.
      fields[property.getName()] = isObject && property.getName() === "metadata" ? 0 : refOf(checker.getTypeOfSymbolAtLocation(property, declaration));
    }
    types[name] = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)));
    return name;
  };

  const kinds: KnownFields["kinds"] = {};
  for (const { key, file } of present) {
    const source = program.getSourceFile(file);
    const kind = key.split("/").pop() ?? "";
    const symbol = source ? checker.getSymbolAtLocation(source) : undefined;
    const exported = symbol ? checker.getExportsOfModule(symbol).find((e) => e.getName() === `I${kind}`) : undefined;
    if (!exported) throw new Error(`${PACKAGE}: ${file} declares no I${kind}`);
    kinds[key] = refOf(checker.getDeclaredTypeOfSymbol(exported));
  }
  const sortedTypes = Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : 1))), types: sortedTypes };
}

/** The text of `gateway-api-fields.gen.ts`. */
export function gatewayApiFieldsModule(): string {
  const version = gatewayApiModelsVersion();
  return [
    `// Generated from the type declarations of ${PACKAGE} ${version} by \`npm run generate\`; do not edit.`,
    "",
    `/** The version of ${PACKAGE} whose declarations the known fields are read from. */`,
    `export const GATEWAY_API_MODELS_VERSION = ${JSON.stringify(version)};`,
    "",
    "/** The known fields (see known-fields.ts) of each Gateway API kind and version of the registry, as JSON. */",
    `export const GATEWAY_API_FIELDS_JSON = ${JSON.stringify(JSON.stringify(gatewayApiKnownFields()))};`,
    "",
  ].join("\n");
}
