import { AuthorizationPolicy, type IAuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import type { KubeObject } from "../../types.js";
import { defineTrait, httpOnlyPorts, isHttpPort, type TraitContext, PORT_NUMBER_SCHEMA } from "../trait.js";

type Rule = NonNullable<NonNullable<IAuthorizationPolicy["spec"]>["rules"]>[number];
type Source = NonNullable<NonNullable<Rule["from"]>[number]["source"]>;
type Operation = NonNullable<NonNullable<Rule["to"]>[number]["operation"]>;

interface Entry {
  from?: { serviceAccounts?: string[]; namespaces?: string[]; requestPrincipals?: string[]; groups?: string[] };
  to?: { methods?: string[]; paths?: string[]; ports?: number[] };
}

interface AccessPolicyProps {
  allow?: Entry[];
  deny?: Entry[];
  defaultDeny: boolean;
}

type ListName = "allow" | "deny";

const strings = { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } } as const;

const entrySchema = {
  type: "object",
  additionalProperties: false,
  // An empty entry would be an empty rule: in an ALLOW it allows everything, in a DENY it denies everything.
  minProperties: 1,
  description: "set from, to or both",
  properties: {
    from: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      description: "set serviceAccounts, namespaces, requestPrincipals or groups",
      properties: { serviceAccounts: strings, namespaces: strings, requestPrincipals: strings, groups: strings },
    },
    to: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      description: "set methods, paths or ports",
      properties: {
        methods: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"] } },
        paths: strings,
        ports: { type: "array", minItems: 1, uniqueItems: true, items: PORT_NUMBER_SCHEMA },
      },
    },
  },
} as const;

const SERVICE_ACCOUNT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
// Istio's path matching: exact, prefix (`/api/*`), suffix (`*.js`) or presence (`*`), and templates (`/a/{*}/b`).
const PATH = /^[/*]/;

export const accessPolicy = defineTrait<AccessPolicyProps>({
  type: "access-policy",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      allow: { type: "array", items: entrySchema },
      deny: { type: "array", items: entrySchema },
      defaultDeny: { type: "boolean", default: true },
    },
  },
  render(context) {
    const { props, component, emit, report } = context;
    const allow = props.allow ?? [];
    const deny = props.deny ?? [];
    const selector = { matchLabels: component.selector };
    const policy = (name: string, spec: NonNullable<IAuthorizationPolicy["spec"]>): void => {
      emit(new AuthorizationPolicy({ metadata: { name: `${component.name}-${name}`, namespace: component.namespace }, spec }).toJSON() as KubeObject);
    };

    if (allow.length > 0) {
      policy("allow", { selector, action: "ALLOW", rules: allow.map((entry, i) => ruleOf({ context, entry, at: ["allow", i] })) });
      if (!props.defaultDeny) {
        report("warning", "`defaultDeny: false` has no effect while `allow` lists entries: an ALLOW policy denies every request it does not match", ["defaultDeny"]);
      }
    } else if (props.defaultDeny) {
      // A policy with only a selector is Istio's allow-nothing: it denies every request.
      policy("deny-all", { selector });
    }
    if (deny.length > 0) {
      policy("deny", { selector, action: "DENY", rules: deny.map((entry, i) => ruleOf({ context, entry, at: ["deny", i] })) });
    }
    if (allow.length === 0 && deny.length === 0 && !props.defaultDeny) {
      report("warning", "no `allow`, no `deny` and `defaultDeny: false`: the trait renders nothing");
    }
  },
});

/** One Istio rule for an entry: serviceAccounts become principals, groups a JWT-claim condition. */
function ruleOf(params: { context: TraitContext<AccessPolicyProps>; entry: Entry; at: [ListName, number] }): Rule {
  const { context, entry, at } = params;
  const { config, report } = context;
  const from = entry.from ?? {};
  const to = entry.to ?? {};

  from.serviceAccounts?.forEach((account, j) => {
    if (!SERVICE_ACCOUNT.test(account)) report("error", `\`${account}\` is not a service account: write it as namespace/name, e.g. shop/checkout`, [...at, "from", "serviceAccounts", j]);
  });
  to.paths?.forEach((path, j) => {
    if (!PATH.test(path)) report("error", `path \`${path}\` must start with / (or * for a suffix match)`, [...at, "to", "paths", j]);
  });

  const source: Source = {
    ...(from.serviceAccounts ? { principals: from.serviceAccounts.map((account) => principalOf(account, config.mesh.trustDomain)) } : {}),
    ...(from.namespaces ? { namespaces: from.namespaces } : {}),
    ...(from.requestPrincipals ? { requestPrincipals: from.requestPrincipals } : {}),
  };
  const ports = to.ports ? checkedPorts({ context, entry, at }) : limitedToHttp({ context, entry, at });
  const operation: Operation = {
    ...(to.methods ? { methods: to.methods } : {}),
    ...(to.paths ? { paths: to.paths } : {}),
    ...(ports ? { ports } : {}),
  };
  return {
    ...(Object.keys(source).length > 0 ? { from: [{ source }] } : {}),
    ...(Object.keys(operation).length > 0 ? { to: [{ operation }] } : {}),
    ...(from.groups ? { when: [{ key: "request.auth.claims[groups]", values: from.groups }] } : {}),
  };
}

function principalOf(serviceAccount: string, trustDomain: string): string {
  const [namespace, name] = serviceAccount.split("/");
  return `${trustDomain}/ns/${namespace ?? ""}/sa/${name ?? ""}`;
}

/** The entry's fields that only HTTP traffic carries. */
function httpOnlyFields(entry: Entry): string[] {
  const fields: [string, unknown][] = [
    ["requestPrincipals", entry.from?.requestPrincipals],
    ["groups", entry.from?.groups],
    ["methods", entry.to?.methods],
    ["paths", entry.to?.paths],
  ];
  return fields.filter(([, value]) => value !== undefined).map(([name]) => name);
}

/** An entry with HTTP-only fields and no ports of its own: limited to the component's HTTP ports. */
function limitedToHttp(params: { context: TraitContext<AccessPolicyProps>; entry: Entry; at: [ListName, number] }): string[] | undefined {
  const { context, entry, at } = params;
  const fields = httpOnlyFields(entry);
  if (fields.length === 0) return undefined;
  // null (a component with no HTTP port) has been reported as an error; the entry is then
  // rendered as written, so the rules and the diff see what Istio would do with it.
  return httpOnlyPorts({ context, what: `${at[0]}[${at[1]}] (it uses ${fields.join(", ")})`, remedy: `its ${fields.join(", ")}`, propertyPath: at }) ?? undefined;
}

/** The entry's own ports as strings (Istio's type), checked against the ports the component serves. */
function checkedPorts(params: { context: TraitContext<AccessPolicyProps>; entry: Entry; at: [ListName, number] }): string[] {
  const { context, entry, at } = params;
  const { component, report } = context;
  const ports = entry.to?.ports ?? [];
  const served = component.ports;
  if (served) {
    const fields = httpOnlyFields(entry);
    ports.forEach((port, j) => {
      const info = served.find((p) => p.port === port);
      const path = [...at, "to", "ports", j];
      if (!info) {
        report("warning", `port ${port} is not a port of ${component.name} (${served.map((p) => p.port).join(", ") || "none"}): the entry matches no traffic there`, path);
      } else if (fields.length > 0 && !isHttpPort(info)) {
        const effect = at[0] === "allow" ? "never matches there" : "would deny all traffic there";
        report("error", `port ${port} of ${component.name} is not HTTP (${info.appProtocol}), and ${fields.join(", ")} act${fields.length === 1 ? "s" : ""} on HTTP traffic only: the ${at[0]} entry ${effect}; list HTTP ports only, or move the port to an entry without ${fields.join(", ")}`, path);
      }
    });
  }
  return ports.map(String);
}
