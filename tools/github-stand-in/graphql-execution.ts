import type { GitObject, GitObjectHeader, GitRepository } from "./git-repository.js";
import { nodeId, stableId, timestamp, type Json, type Site } from "./github-objects.js";
import { GraphQLSyntaxError, parseGraphQL, type Directive, type FieldSelection, type GraphQLDocument, type GraphQLValue, type Location, type Selection } from "./graphql-query.js";

/**
 * The slice of GitHub's GraphQL schema the stand-in answers: a repository's Git objects by oid
 * or by expression ("<rev>:<path>"), blobs with their text, and the rate limit.
 */
interface FieldDefinition {
  type: string;
  args?: Record<string, string>;
}
interface TypeDefinition {
  interfaces: string[];
  fields: Record<string, FieldDefinition>;
}

const SCALARS = new Set(["String", "Int", "Boolean", "ID", "URI", "DateTime", "GitObjectID"]);
const gitObjectFields: Record<string, FieldDefinition> = {
  oid: { type: "GitObjectID!" },
  abbreviatedOid: { type: "String!" },
  id: { type: "ID!" },
  commitUrl: { type: "URI!" },
};
const SCHEMA: Record<string, TypeDefinition> = {
  Query: {
    interfaces: [],
    fields: {
      repository: { type: "Repository", args: { owner: "String!", name: "String!", followRenames: "Boolean" } },
      rateLimit: { type: "RateLimit", args: { dryRun: "Boolean" } },
    },
  },
  Repository: {
    interfaces: ["Node", "RepositoryInfo"],
    fields: {
      object: { type: "GitObject", args: { oid: "GitObjectID", expression: "String" } },
      id: { type: "ID!" },
      name: { type: "String!" },
      nameWithOwner: { type: "String!" },
      url: { type: "URI!" },
    },
  },
  GitObject: { interfaces: [], fields: gitObjectFields },
  Blob: {
    interfaces: ["GitObject", "Node"],
    fields: { ...gitObjectFields, byteSize: { type: "Int!" }, isBinary: { type: "Boolean" }, isTruncated: { type: "Boolean!" }, text: { type: "String" } },
  },
  Commit: { interfaces: ["GitObject", "Node"], fields: { ...gitObjectFields, message: { type: "String!" } } },
  Tree: { interfaces: ["GitObject", "Node"], fields: gitObjectFields },
  Tag: { interfaces: ["GitObject", "Node"], fields: gitObjectFields },
  RateLimit: {
    interfaces: [],
    fields: { cost: { type: "Int!" }, limit: { type: "Int!" }, nodeCount: { type: "Int!" }, remaining: { type: "Int!" }, resetAt: { type: "DateTime!" }, used: { type: "Int!" } },
  },
};
const ABSTRACT: Record<string, string[]> = { GitObject: ["Blob", "Commit", "Tree", "Tag"], Node: ["Repository", "Blob", "Commit", "Tree", "Tag"], RepositoryInfo: ["Repository"] };
const GIT_TYPES: Record<GitObject["type"], string> = { blob: "Blob", commit: "Commit", tree: "Tree", tag: "Tag" };

export interface GraphQLError {
  message: string;
  locations?: Location[];
  path?: (string | number)[];
  type?: string;
  extensions?: Json;
}

export interface GraphQLResult {
  data?: Json | null;
  errors?: GraphQLError[];
}

export interface GraphQLContext {
  site: Site;
  git: GitRepository;
  /** Blob text beyond this many bytes is cut and isTruncated set. */
  blobTextLimit: number;
  rateLimitReset: Date;
}

/** A query failed validation or coercion: answered with errors and no data, as GitHub does. */
class RequestError extends Error {
  constructor(readonly errors: GraphQLError[]) {
    super(errors[0]?.message ?? "invalid request");
  }
}

const named = (type: string): string => type.replace(/[[\]!]/g, "");
const possibleTypes = (type: string): string[] => ABSTRACT[type] ?? [type];

/** The response key → the fields selected under it, fragments flattened, @skip/@include applied. */
function collectFields(document: GraphQLDocument, selections: readonly Selection[], runtimeType: string, variables: Json, out = new Map<string, FieldSelection[]>(), depth = 0): Map<string, FieldSelection[]> {
  if (depth > 64) throw new RequestError([{ message: "Fragments are nested too deep" }]);
  for (const selection of selections) {
    if (!included(selection.directives, variables)) continue;
    if (selection.kind === "field") {
      const key = selection.alias ?? selection.name;
      out.set(key, [...(out.get(key) ?? []), selection]);
      continue;
    }
    const fragment = selection.kind === "fragment-spread" ? document.fragments.get(selection.name) : undefined;
    const condition = selection.kind === "inline-fragment" ? selection.typeCondition : fragment?.typeCondition;
    if (condition !== undefined && !possibleTypes(condition).includes(runtimeType)) continue;
    collectFields(document, selection.kind === "inline-fragment" ? selection.selections : (fragment?.selections ?? []), runtimeType, variables, out, depth + 1);
  }
  return out;
}

function included(directives: readonly Directive[], variables: Json): boolean {
  for (const directive of directives) {
    const condition = directive.arguments.if && valueOf(directive.arguments.if, variables);
    if (directive.name === "skip" && condition === true) return false;
    if (directive.name === "include" && condition !== true) return false;
  }
  return true;
}

function valueOf(value: GraphQLValue, variables: Json): unknown {
  switch (value.kind) {
    case "variable":
      return variables[value.name] ?? null;
    case "int":
    case "float":
      return Number(value.value);
    case "string":
    case "enum":
      return value.value;
    case "boolean":
      return value.value;
    case "null":
      return null;
    case "list":
      return value.values.map((v) => valueOf(v, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, valueOf(v, variables)]));
  }
}

/** Static validation against SCHEMA: unknown fields, arguments, directives, fragments; selections on scalars. */
function validate(document: GraphQLDocument, selections: readonly Selection[], parentType: string, path: string[], errors: GraphQLError[], seen: Set<string>): void {
  const definition = SCHEMA[parentType];
  if (!definition) return;
  for (const selection of selections) {
    for (const directive of selection.directives) {
      if (directive.name !== "skip" && directive.name !== "include") errors.push({ message: `Directive '${directive.name}' is not defined`, locations: [selection.location], path });
    }
    if (selection.kind !== "field") {
      const fragment = selection.kind === "fragment-spread" ? document.fragments.get(selection.name) : undefined;
      if (selection.kind === "fragment-spread" && !fragment) {
        errors.push({ message: `Fragment ${selection.name} was used, but not defined`, locations: [selection.location], path });
        continue;
      }
      const condition = selection.kind === "inline-fragment" ? selection.typeCondition : fragment?.typeCondition;
      const type = condition ?? parentType;
      if (!SCHEMA[type] && !ABSTRACT[type]) {
        errors.push({ message: `No such type ${type}, so it can't be a fragment condition`, locations: [selection.location], path });
        continue;
      }
      if (!possibleTypes(type).some((t) => possibleTypes(parentType).includes(t))) {
        errors.push({ message: `Fragment on ${type} can't be spread inside ${parentType}`, locations: [selection.location], path });
        continue;
      }
      if (selection.kind === "fragment-spread") {
        if (seen.has(selection.name)) continue;
        seen.add(selection.name);
      }
      validate(document, selection.kind === "inline-fragment" ? selection.selections : (fragment?.selections ?? []), SCHEMA[type] ? type : parentType, path, errors, seen);
      continue;
    }
    const fieldPath = [...path, selection.alias ?? selection.name];
    if (selection.name === "__typename") continue;
    const field = definition.fields[selection.name];
    if (!field) {
      errors.push({
        message: `Field '${selection.name}' doesn't exist on type '${parentType}'`,
        locations: [selection.location],
        path: fieldPath,
        extensions: { code: "undefinedField", typeName: parentType, fieldName: selection.name },
      });
      continue;
    }
    for (const arg of Object.keys(selection.arguments)) {
      if (!field.args?.[arg]) errors.push({ message: `Field '${selection.name}' doesn't accept argument '${arg}'`, locations: [selection.location], path: fieldPath });
    }
    const missing = Object.entries(field.args ?? {}).filter(([arg, type]) => type.endsWith("!") && !(arg in selection.arguments)).map(([arg]) => arg);
    if (missing.length > 0) errors.push({ message: `Field '${selection.name}' is missing required arguments: ${missing.join(", ")}`, locations: [selection.location], path: fieldPath });
    const type = named(field.type);
    if (SCALARS.has(type) && selection.selections.length > 0) {
      errors.push({ message: `Selections can't be made on scalars (field '${selection.name}' returns ${type} but has selections [${selection.selections.map((s) => (s.kind === "field" ? s.name : "...")).join(", ")}])`, locations: [selection.location], path: fieldPath });
    } else if (!SCALARS.has(type) && selection.selections.length === 0) {
      errors.push({ message: `Field must have selections (field '${selection.name}' returns ${type} but has no selections. Did you mean '${selection.name} { ... }'?)`, locations: [selection.location], path: fieldPath });
    } else if (!SCALARS.has(type)) {
      validate(document, selection.selections, type, fieldPath, errors, seen);
    }
  }
}

/** Coerces the operation's variables: declared, of a plausible type, non-null ones supplied. */
function coerceVariables(document: GraphQLDocument, operation: GraphQLDocument["operations"][number], given: Json): Json {
  const errors: GraphQLError[] = [];
  const values: Json = {};
  for (const definition of operation.variables) {
    const value = definition.name in given ? given[definition.name] : definition.defaultValue ? valueOf(definition.defaultValue, {}) : undefined;
    const type = named(definition.type);
    const ok =
      value === undefined || value === null
        ? !definition.type.endsWith("!")
        : definition.type.startsWith("[")
          ? Array.isArray(value)
          : type === "Int"
            ? Number.isInteger(value)
            : type === "Boolean"
              ? typeof value === "boolean"
              : typeof value === "string";
    if (!ok) errors.push({ message: `Variable $${definition.name} of type ${definition.type} was provided invalid value`, locations: [operation.location], extensions: { value: value ?? null } });
    values[definition.name] = value ?? null;
  }
  const declared = new Set(operation.variables.map((v) => v.name));
  const used = new Set<string>();
  const walk = (selections: readonly Selection[], depth: number): void => {
    if (depth > 64) return;
    for (const s of selections) {
      const args = s.kind === "field" ? Object.values(s.arguments) : [];
      for (const d of s.directives) args.push(...Object.values(d.arguments));
      const stack = [...args];
      while (stack.length > 0) {
        const v = stack.pop();
        if (v?.kind === "variable") used.add(v.name);
        else if (v?.kind === "list") stack.push(...v.values);
        else if (v?.kind === "object") stack.push(...Object.values(v.fields));
      }
      if (s.kind === "field" || s.kind === "inline-fragment") walk(s.selections, depth + 1);
      else walk(document.fragments.get(s.name)?.selections ?? [], depth + 1);
    }
  };
  walk(operation.selections, 0);
  for (const name of used) if (!declared.has(name)) errors.push({ message: `Variable $${name} is used by ${operation.name ?? "anonymous query"} but not declared`, locations: [operation.location] });
  if (errors.length > 0) throw new RequestError(errors);
  return values;
}

interface ObjectRequest {
  name: string;
  resolve: (found: { header: GitObjectHeader; object: GitObject | undefined } | null) => void;
}

/** Batches every `object(...)` of a query into one `cat-file --batch-check` and one `cat-file --batch`. */
class ObjectLoader {
  private readonly requests: ObjectRequest[] = [];

  constructor(private readonly git: GitRepository) {}

  load(name: string): Promise<{ header: GitObjectHeader; object: GitObject | undefined } | null> {
    return new Promise((resolve) => this.requests.push({ name, resolve }));
  }

  async dispatch(): Promise<void> {
    const requests = this.requests.splice(0);
    if (requests.length === 0) return;
    // An oid is read with its content in one `cat-file --batch` (cached by sha); an expression is resolved first.
    const isOid = (name: string): boolean => /^[0-9a-f]{40}$/.test(name);
    const expressions = requests.filter((r) => !isOid(r.name)).map((r) => r.name);
    const resolved = new Map<string, GitObjectHeader | null>();
    const headers = await this.git.headers(expressions);
    expressions.forEach((name, i) => resolved.set(name, headers[i] ?? null));
    const wanted = [...requests.filter((r) => isOid(r.name)).map((r) => r.name), ...[...resolved.values()].flatMap((h) => (h ? [h.sha] : []))];
    const objects = await this.git.objects(wanted);
    for (const request of requests) {
      const header = isOid(request.name) ? (objects.get(request.name) ?? null) : (resolved.get(request.name) ?? null);
      request.resolve(header ? { header: { sha: header.sha, type: header.type, size: header.size }, object: objects.get(header.sha) } : null);
    }
  }
}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

class Execution {
  readonly errors: GraphQLError[] = [];
  readonly loader: ObjectLoader;
  nodeCount = 0;

  constructor(
    private readonly document: GraphQLDocument,
    private readonly variables: Json,
    private readonly context: GraphQLContext,
  ) {
    this.loader = new ObjectLoader(context.git);
  }

  /** Resolves an object's selections; object lookups are queued on the loader, not awaited here. */
  selectionsOf(selections: readonly Selection[], type: string, source: unknown, path: (string | number)[]): Promise<Json> {
    const fields = collectFields(this.document, selections, type, this.variables);
    const entries = [...fields].map(async ([key, group]): Promise<[string, unknown]> => {
      const field = group[0];
      if (!field) return [key, null];
      const subselections = group.flatMap((f) => f.selections);
      return [key, await this.field(field, subselections, type, source, [...path, key])];
    });
    return Promise.all(entries).then((pairs) => Object.fromEntries(pairs));
  }

  private args(field: FieldSelection): Json {
    return Object.fromEntries(Object.entries(field.arguments).map(([name, value]) => [name, valueOf(value, this.variables)]));
  }

  private async field(field: FieldSelection, selections: Selection[], type: string, source: unknown, path: (string | number)[]): Promise<unknown> {
    if (field.name === "__typename") return type;
    const { site } = this.context;
    const args = this.args(field);
    switch (`${type}.${field.name}`) {
      case "Query.repository": {
        const owner = typeof args.owner === "string" ? args.owner : "";
        const name = typeof args.name === "string" ? args.name : "";
        if (owner.toLowerCase() !== site.owner.toLowerCase() || name.toLowerCase() !== site.name.toLowerCase()) {
          this.errors.push({ type: "NOT_FOUND", path, locations: [field.location], message: `Could not resolve to a Repository with the name '${owner}/${name}'.` });
          return null;
        }
        return this.selectionsOf(selections, "Repository", null, path);
      }
      case "Query.rateLimit":
        return this.selectionsOf(selections, "RateLimit", null, path);
      case "RateLimit.cost":
        return 1;
      case "RateLimit.limit":
        return 5000;
      case "RateLimit.remaining":
        return 4999;
      case "RateLimit.used":
        return 1;
      case "RateLimit.nodeCount":
        return this.nodeCount;
      case "RateLimit.resetAt":
        return timestamp(this.context.rateLimitReset);
      case "Repository.id":
        return nodeId("Repository", site.repositoryId);
      case "Repository.name":
        return site.name;
      case "Repository.nameWithOwner":
        return `${site.owner}/${site.name}`;
      case "Repository.url":
        return `${site.web}/${site.owner}/${site.name}`;
      case "Repository.object": {
        const { oid, expression } = args;
        if ((oid === undefined || oid === null) === (expression === undefined || expression === null)) {
          this.errors.push({ path, locations: [field.location], message: "Provide exactly one of oid or expression" });
          return null;
        }
        if (typeof oid === "string" && !/^[0-9a-f]{40}$/i.test(oid)) {
          throw new RequestError([{ path, locations: [field.location], message: `Argument 'oid' on Field '${field.alias ?? field.name}' has an invalid value (${JSON.stringify(oid)}). Expected type 'GitObjectID'.` }]);
        }
        this.nodeCount++;
        const found = await this.loader.load(typeof oid === "string" ? oid.toLowerCase() : typeof expression === "string" ? expression : "");
        if (!found) return null;
        return this.selectionsOf(selections, GIT_TYPES[found.header.type], found, path);
      }
      default:
        return this.gitObjectField(field.name, source as { header: GitObjectHeader; object: GitObject | undefined });
    }
  }

  private gitObjectField(name: string, found: { header: GitObjectHeader; object: GitObject | undefined }): unknown {
    const { site, blobTextLimit } = this.context;
    const { header, object } = found;
    const content = object?.content ?? Buffer.alloc(0);
    switch (name) {
      case "oid":
        return header.sha;
      case "abbreviatedOid":
        return header.sha.slice(0, 7);
      case "id":
        return nodeId(GIT_TYPES[header.type], stableId(`${header.type}:${header.sha}`));
      case "commitUrl":
        return `${site.web}/${site.owner}/${site.name}/commit/${header.sha}`;
      case "byteSize":
        return header.size;
      case "isBinary":
        return isBinary(content);
      case "isTruncated":
        return header.size > blobTextLimit;
      case "text":
        return isBinary(content) ? null : content.subarray(0, blobTextLimit).toString("utf8");
      case "message":
        return "";
      default:
        return null;
    }
  }
}

/** Answers a GraphQL request body ({query, variables, operationName}) as GitHub would, for the supported slice. */
export async function executeGraphQL(body: unknown, context: GraphQLContext): Promise<GraphQLResult> {
  const request = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof request.query !== "string") return { errors: [{ message: "A query attribute must be specified and must be a string." }] };
  let document: GraphQLDocument;
  try {
    document = parseGraphQL(request.query);
  } catch (error) {
    if (error instanceof GraphQLSyntaxError) return { errors: [{ message: error.message, locations: [error.location] }] };
    throw error;
  }
  try {
    const operationName = typeof request.operationName === "string" ? request.operationName : undefined;
    const operation = operationName === undefined ? (document.operations.length === 1 ? document.operations[0] : undefined) : document.operations.find((o) => o.name === operationName);
    if (!operation) {
      return { errors: [{ message: operationName === undefined ? "An operation name is required when the document has several operations" : `No operation named "${operationName}"` }] };
    }
    if (operation.operation !== "query") return { errors: [{ message: `The stand-in answers queries only, not ${operation.operation}s`, locations: [operation.location] }] };
    const errors: GraphQLError[] = [];
    validate(document, operation.selections, "Query", [operation.name ?? "query"], errors, new Set());
    if (errors.length > 0) return { errors };
    const variables = coerceVariables(document, operation, request.variables !== null && typeof request.variables === "object" ? (request.variables as Json) : {});
    const execution = new Execution(document, variables, context);
    const progress = { settled: false };
    const outcome = execution.selectionsOf(operation.selections, "Query", null, []).then(
      (data) => ({ data }),
      (error: unknown) => ({ error }),
    );
    void outcome.then(() => (progress.settled = true));
    // Every object(...) of a round is queued before the loader dispatches it in one batch.
    for (let round = 0; !progress.settled; round++) {
      if (round > 16) throw new Error("GraphQL execution did not settle");
      await new Promise((resolve) => setImmediate(resolve));
      await execution.loader.dispatch();
    }
    const result = await outcome;
    if ("error" in result) throw result.error;
    const { data } = result;
    return execution.errors.length > 0 ? { data, errors: execution.errors } : { data };
  } catch (error) {
    if (error instanceof RequestError) return { errors: error.errors };
    throw error;
  }
}
