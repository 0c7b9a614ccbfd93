/**
 * A parser for GraphQL executable documents (operations and fragments), enough for the queries
 * a GitHub client sends: aliases, arguments, variables, inline fragments, fragment spreads,
 * directives. Bounded: the text, the number of tokens and the nesting depth are limited.
 */

export type GraphQLValue =
  | { kind: "variable"; name: string }
  | { kind: "string" | "int" | "float" | "enum"; value: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "list"; values: GraphQLValue[] }
  | { kind: "object"; fields: Record<string, GraphQLValue> };

export interface Location {
  line: number;
  column: number;
}

export interface Directive {
  name: string;
  arguments: Record<string, GraphQLValue>;
}

export interface FieldSelection {
  kind: "field";
  alias?: string;
  name: string;
  arguments: Record<string, GraphQLValue>;
  directives: Directive[];
  selections: Selection[];
  location: Location;
}

export interface InlineFragment {
  kind: "inline-fragment";
  typeCondition?: string;
  directives: Directive[];
  selections: Selection[];
  location: Location;
}

export interface FragmentSpread {
  kind: "fragment-spread";
  name: string;
  directives: Directive[];
  location: Location;
}

export type Selection = FieldSelection | InlineFragment | FragmentSpread;

export interface VariableDefinition {
  name: string;
  type: string;
  defaultValue?: GraphQLValue;
}

export interface Operation {
  operation: "query" | "mutation" | "subscription";
  name?: string;
  variables: VariableDefinition[];
  selections: Selection[];
  location: Location;
}

export interface Fragment {
  name: string;
  typeCondition: string;
  selections: Selection[];
}

export interface GraphQLDocument {
  operations: Operation[];
  fragments: Map<string, Fragment>;
}

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly location: Location,
  ) {
    super(message);
  }
}

export const QUERY_LIMITS = { characters: 1_000_000, tokens: 200_000, depth: 64 };

interface Token {
  kind: "punctuator" | "name" | "int" | "float" | "string" | "end";
  value: string;
  location: Location;
}

const PUNCTUATORS = new Set(["!", "$", "&", "(", ")", ":", "=", "@", "[", "]", "{", "|", "}"]);

function tokenize(text: string): Token[] {
  if (text.length > QUERY_LIMITS.characters) throw new GraphQLSyntaxError(`Query is longer than ${QUERY_LIMITS.characters} characters`, { line: 1, column: 1 });
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const here = (at: number): Location => ({ line, column: at - lineStart + 1 });
  while (i < text.length) {
    if (tokens.length > QUERY_LIMITS.tokens) throw new GraphQLSyntaxError(`Query has more than ${QUERY_LIMITS.tokens} tokens`, here(i));
    const c = text.charAt(i);
    if (c === "\n") {
      i++;
      line++;
      lineStart = i;
    } else if (c === " " || c === "\t" || c === "\r" || c === "," || c === "\ufeff") {
      i++;
    } else if (c === "#") {
      while (i < text.length && text.charAt(i) !== "\n") i++;
    } else if (c === "." && text.startsWith("...", i)) {
      tokens.push({ kind: "punctuator", value: "...", location: here(i) });
      i += 3;
    } else if (PUNCTUATORS.has(c)) {
      tokens.push({ kind: "punctuator", value: c, location: here(i) });
      i++;
    } else if (/[_A-Za-z]/.test(c)) {
      const start = i;
      while (i < text.length && /[_0-9A-Za-z]/.test(text.charAt(i))) i++;
      tokens.push({ kind: "name", value: text.slice(start, i), location: here(start) });
    } else if (/[-0-9]/.test(c)) {
      const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!match) throw new GraphQLSyntaxError(`Parse error on "${c}"`, here(i));
      tokens.push({ kind: match[1] !== undefined || match[2] !== undefined ? "float" : "int", value: match[0], location: here(i) });
      i += match[0].length;
    } else if (c === '"') {
      const start = i;
      const location = here(i);
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        if (end < 0) throw new GraphQLSyntaxError("Unterminated string", location);
        const raw = text.slice(i + 3, end);
        for (const ch of raw) if (ch === "\n") line++;
        if (raw.includes("\n")) lineStart = start + 3 + raw.lastIndexOf("\n") + 1;
        tokens.push({ kind: "string", value: blockString(raw.replace(/\\"""/g, '"""')), location });
        i = end + 3;
        continue;
      }
      i++;
      let value = "";
      for (;;) {
        if (i >= text.length || text.charAt(i) === "\n") throw new GraphQLSyntaxError("Unterminated string", location);
        const ch = text.charAt(i);
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === "\\") {
          const next = text.charAt(i + 1);
          const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
          if (next === "u") {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new GraphQLSyntaxError("Bad unicode escape in string", location);
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
          } else if (simple[next] !== undefined) {
            value += simple[next];
            i += 2;
          } else {
            throw new GraphQLSyntaxError(`Bad escape "\\${next}" in string`, location);
          }
          continue;
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: "string", value, location });
    } else {
      throw new GraphQLSyntaxError(`Parse error on "${c}"`, here(i));
    }
  }
  tokens.push({ kind: "end", value: "", location: here(i) });
  return tokens;
}

/** GraphQL's block string value: common indentation and blank first/last lines removed. */
function blockString(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/);
  let indent = Infinity;
  for (const l of lines.slice(1)) {
    const spaces = /^[ \t]*/.exec(l)?.[0].length ?? 0;
    if (spaces < l.length) indent = Math.min(indent, spaces);
  }
  const out = lines.map((l, i) => (i === 0 || indent === Infinity ? l : l.slice(indent)));
  while (out.length > 0 && /^[ \t]*$/.test(out[0] ?? "")) out.shift();
  while (out.length > 0 && /^[ \t]*$/.test(out[out.length - 1] ?? "")) out.pop();
  return out.join("\n");
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at] ?? this.tokens[this.tokens.length - 1] ?? { kind: "end", value: "", location: { line: 1, column: 1 } };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.at++;
    return token;
  }

  private fail(token: Token): never {
    const shown = token.kind === "end" ? "end of file" : `"${token.value}" (${token.kind.toUpperCase()})`;
    throw new GraphQLSyntaxError(`Parse error on ${shown} at [${token.location.line}, ${token.location.column}]`, token.location);
  }

  private isPunctuator(value: string): boolean {
    const token = this.peek();
    return token.kind === "punctuator" && token.value === value;
  }

  private expect(value: string): Token {
    const token = this.next();
    if (token.kind !== "punctuator" || token.value !== value) this.fail(token);
    return token;
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== "name") this.fail(token);
    return token.value;
  }

  document(): GraphQLDocument {
    const operations: Operation[] = [];
    const fragments = new Map<string, Fragment>();
    while (this.peek().kind !== "end") {
      const token = this.peek();
      if (token.kind === "punctuator" && token.value === "{") {
        operations.push({ operation: "query", variables: [], selections: this.selectionSet(), location: token.location });
      } else if (token.kind === "name" && (token.value === "query" || token.value === "mutation" || token.value === "subscription")) {
        this.next();
        const name = this.peek().kind === "name" ? this.name() : undefined;
        const variables = this.isPunctuator("(") ? this.variableDefinitions() : [];
        this.directives();
        const operation: Operation = { operation: token.value, variables, selections: this.selectionSet(), location: token.location };
        if (name !== undefined) operation.name = name;
        operations.push(operation);
      } else if (token.kind === "name" && token.value === "fragment") {
        this.next();
        const name = this.name();
        if (name === "on") this.fail(token);
        if (this.name() !== "on") this.fail(this.tokens[this.at - 1] ?? token);
        const typeCondition = this.name();
        this.directives();
        fragments.set(name, { name, typeCondition, selections: this.selectionSet() });
      } else {
        this.fail(token);
      }
    }
    return { operations, fragments };
  }

  private variableDefinitions(): VariableDefinition[] {
    this.expect("(");
    const definitions: VariableDefinition[] = [];
    while (!this.isPunctuator(")")) {
      this.expect("$");
      const name = this.name();
      this.expect(":");
      const definition: VariableDefinition = { name, type: this.type() };
      if (this.isPunctuator("=")) {
        this.next();
        definition.defaultValue = this.value(true);
      }
      this.directives();
      definitions.push(definition);
    }
    this.expect(")");
    return definitions;
  }

  private type(): string {
    let type: string;
    if (this.isPunctuator("[")) {
      this.next();
      type = `[${this.type()}]`;
      this.expect("]");
    } else {
      type = this.name();
    }
    if (this.isPunctuator("!")) {
      this.next();
      type += "!";
    }
    return type;
  }

  private selectionSet(): Selection[] {
    if (++this.depth > QUERY_LIMITS.depth) throw new GraphQLSyntaxError(`Query is nested deeper than ${QUERY_LIMITS.depth} levels`, this.peek().location);
    this.expect("{");
    const selections: Selection[] = [];
    while (!this.isPunctuator("}")) selections.push(this.selection());
    this.expect("}");
    if (selections.length === 0) this.fail(this.tokens[this.at - 1] ?? this.peek());
    this.depth--;
    return selections;
  }

  private selection(): Selection {
    const token = this.peek();
    if (this.isPunctuator("...")) {
      this.next();
      const after = this.peek();
      if (after.kind === "name" && after.value !== "on") {
        return { kind: "fragment-spread", name: this.name(), directives: this.directives(), location: token.location };
      }
      const fragment: InlineFragment = { kind: "inline-fragment", directives: [], selections: [], location: token.location };
      if (after.kind === "name") {
        this.next();
        fragment.typeCondition = this.name();
      }
      fragment.directives = this.directives();
      fragment.selections = this.selectionSet();
      return fragment;
    }
    let name = this.name();
    let alias: string | undefined;
    if (this.isPunctuator(":")) {
      this.next();
      alias = name;
      name = this.name();
    }
    const field: FieldSelection = {
      kind: "field",
      name,
      arguments: this.isPunctuator("(") ? this.arguments(false) : {},
      directives: this.directives(),
      selections: this.isPunctuator("{") ? this.selectionSet() : [],
      location: token.location,
    };
    if (alias !== undefined) field.alias = alias;
    return field;
  }

  private arguments(constant: boolean): Record<string, GraphQLValue> {
    this.expect("(");
    const args: Record<string, GraphQLValue> = {};
    while (!this.isPunctuator(")")) {
      const name = this.name();
      this.expect(":");
      args[name] = this.value(constant);
    }
    this.expect(")");
    return args;
  }

  private directives(): Directive[] {
    const directives: Directive[] = [];
    while (this.isPunctuator("@")) {
      this.next();
      directives.push({ name: this.name(), arguments: this.isPunctuator("(") ? this.arguments(false) : {} });
    }
    return directives;
  }

  private value(constant: boolean): GraphQLValue {
    const token = this.next();
    switch (token.kind) {
      case "punctuator":
        if (token.value === "$" && !constant) return { kind: "variable", name: this.name() };
        if (token.value === "[") {
          const values: GraphQLValue[] = [];
          while (!this.isPunctuator("]")) values.push(this.value(constant));
          this.next();
          return { kind: "list", values };
        }
        if (token.value === "{") {
          const fields: Record<string, GraphQLValue> = {};
          while (!this.isPunctuator("}")) {
            const name = this.name();
            this.expect(":");
            fields[name] = this.value(constant);
          }
          this.next();
          return { kind: "object", fields };
        }
        return this.fail(token);
      case "int":
      case "float":
      case "string":
        return { kind: token.kind, value: token.value };
      case "name":
        if (token.value === "true" || token.value === "false") return { kind: "boolean", value: token.value === "true" };
        if (token.value === "null") return { kind: "null" };
        return { kind: "enum", value: token.value };
      default:
        return this.fail(token);
    }
  }
}

/** Parses a GraphQL document; throws GraphQLSyntaxError with the position of the first problem. */
export function parseGraphQL(text: string): GraphQLDocument {
  return new Parser(tokenize(text)).document();
}
