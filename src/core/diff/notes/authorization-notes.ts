import { accessChange, type AccessWitness } from "../../authorization/access-change.js";
import type { AuthorizationRequest } from "../../authorization/authorization-request.js";
import { policyScope, scopeText } from "../../authorization/policy-scope.js";
import { UNNAMED } from "../../authorization/probe-requests.js";
import { ruleReach } from "../../authorization/rule-reach.js";
import { policyAction } from "../../authorization/workload-access.js";
import type { JsonValue, KubeObject, Resource } from "../../types.js";
import { sameJson } from "../same-json.js";
import { meshIndexOf } from "./mesh-index-of.js";
import type { NoteDraft, NoteInput, NoteMesh } from "./note-draft.js";
import { pickList, pickObject } from "./pick.js";

/** The workloads a policy selects, as an operator names them. */
export function policyTarget(policy: KubeObject): string {
  const namespace = policy.metadata.namespace ?? "";
  const labels = pickObject(policy.spec, "selector", "matchLabels");
  if (!labels || Object.keys(labels).length === 0) return `every workload in namespace ${namespace}`;
  const component = labels["app.oam.dev/component"] ?? labels.app;
  if (typeof component === "string") return `${namespace}/${component}`;
  return `workloads ${Object.entries(labels).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(",")} in namespace ${namespace}`;
}

function resourceOf(object: KubeObject): Resource {
  return { object, source: { file: "", line: 0 } };
}

/**
 * A DENY rule that rejects every request without a token (the model's reach) and looks at the
 * token to do it: how a JWT is made mandatory. A DENY of everything is not a token requirement.
 */
function requiresJwt(policy: KubeObject | undefined, mesh: NoteMesh): boolean {
  if (!policy || policyAction(resourceOf(policy)) !== "DENY") return false;
  const readsToken = (rule: JsonValue): boolean => JSON.stringify(rule).includes("equestPrincipals") || JSON.stringify(rule).includes("request.auth.");
  return pickList(policy.spec, "rules").some((rule) => readsToken(rule) && ruleReach({ rule, action: "DENY", context: { trustDomain: mesh.trustDomain, ports: [], protocol: "http" } }).everyTokenless);
}

/** The scope in words, saying when it is the whole mesh because the policy sits in the root namespace. */
function scopeOf(policy: KubeObject, mesh: NoteMesh): string {
  const text = scopeText(policyScope(resourceOf(policy), mesh.rootNamespace));
  return (policy.metadata.namespace ?? "") === mesh.rootNamespace ? `${text} (root namespace ${mesh.rootNamespace})` : text;
}

function isUnnamed(value: string): boolean {
  return value.includes(UNNAMED);
}

/** A probing request in words: only the attributes some rule reads, each as the request holds it. */
export function describeRequest(request: AuthorizationRequest, read: ReadonlySet<string>): string {
  const path = request.path !== undefined && isUnnamed(request.path) ? "(a path no rule names)" : (request.path ?? "/");
  const what = request.protocol === "tcp" ? "a TCP connection" : read.has("method") || read.has("path") ? `\`${request.method ?? "GET"} ${path}\`` : "any request";
  const parts = [what];
  if (read.has("host") && request.host !== undefined) parts.push(`to host \`${request.host}\``);
  if (read.has("port")) parts.push(`on port ${request.port}`);
  if (read.has("peer")) parts.push(request.principal === undefined ? "from a plaintext caller (no mTLS identity)" : isUnnamed(request.principal) ? "from a mesh caller no rule names" : `from \`${request.principal}\``);
  else parts.push("from any caller");
  if (read.has("token") || [...read].some((r) => r.startsWith("claim:"))) {
    parts.push(request.requestPrincipal === undefined ? "without a token" : isUnnamed(request.requestPrincipal) ? "with a token no rule names" : `with a token of \`${request.requestPrincipal}\``);
    const claims = Object.entries(request.claims).map(([claim, values]) => `${claim} \`${values.join(",")}\``);
    if (request.requestPrincipal !== undefined && claims.length > 0) parts.push(`(claims ${claims.join(", ")})`);
  }
  if (read.has("sourceIp")) parts.push(`from address ${request.sourceIp}`);
  if (read.has("remoteIp")) parts.push(`client address ${request.remoteIp}`);
  if (read.has("destinationIp")) parts.push(`to address ${request.destinationIp}`);
  for (const name of [...read].filter((r) => r.startsWith("header:")).sort()) {
    const header = name.slice("header:".length);
    const value = request.headers[header];
    if (request.protocol === "http") parts.push(value === undefined ? `without header ${header}` : `with header ${header}: \`${value}\``);
  }
  if (read.has("sni")) parts.push(request.sni === undefined ? "without a server name" : `with server name \`${request.sni}\``);
  return parts.join(" ");
}

function where(witness: AccessWitness, count: number): string {
  return count > 1 ? `${witness.at} (and ${count - 1} other workload${count > 2 ? "s" : ""})` : witness.at;
}

/**
 * AuthorizationPolicy: what the change does to the requests the selected workloads accept.
 * Computed from the authorization model, never from which fields appeared: both versions of the
 * policy are evaluated, with every other policy of the head in place, on requests at every
 * boundary the rules draw, on each workload either version applies to (mesh-wide from the root
 * namespace, or where `targetRefs` point). A request that passes now and did not is "widened", the
 * reverse "narrowed"; a change can be both. A policy selecting no workload by its labels is
 * noted by `selectedNotes`; one that reaches no workload otherwise (its namespace empty, its
 * targets absent) is said to have no effect. The JWT requirement is noted on its own.
 */
export function authorizationNotes(input: NoteInput): NoteDraft[] {
  const { before, after, mesh } = input;
  const policy = after ?? before;
  if (!policy) return [];
  const notes: NoteDraft[] = [];
  const target = policyTarget(policy);
  const side = after ? "head" : "base";

  const [baseJwt, headJwt] = [requiresJwt(before, mesh), requiresJwt(after, mesh)];
  if (baseJwt && !headJwt) {
    notes.push({ kind: "jwt", severity: "high", effect: "weakens", text: `JWT no longer required for ${target}: requests without a token are accepted again (security downgrade)`, side, pointer: after ? "/spec" : "" });
  } else if (!baseJwt && headJwt) {
    notes.push({ kind: "jwt", severity: "low", effect: "strengthens", text: `JWT now required for ${target}: requests without a valid token are denied`, side: "head", pointer: "/spec/rules" });
  }

  const [baseAction, headAction] = [before ? policyAction(resourceOf(before)) : undefined, after ? policyAction(resourceOf(after)) : undefined];
  const action = headAction ?? baseAction ?? "ALLOW";
  const scope = scopeOf(policy, mesh);
  if (before && after && !sameJson(pickObject(before.spec, "selector"), pickObject(after.spec, "selector"))) {
    notes.push({ kind: "authorization", severity: "medium", effect: "neutral", text: `${action} policy now applies to ${scope} (was ${scopeOf(before, mesh)})`, side: "head", pointer: "/spec/selector" });
  }
  if ((baseAction === "CUSTOM" || baseAction === "AUDIT" || baseAction === undefined) && (headAction === "CUSTOM" || headAction === "AUDIT" || headAction === undefined)) {
    // Decided by an external authorizer (CUSTOM) or by nothing (AUDIT): no request changes here.
    notes.push({ kind: "authorization", severity: "medium", effect: "neutral", text: `${action} policy for ${scope} ${!before ? "added" : !after ? "removed" : "changed"}: ${action === "CUSTOM" ? "an external authorizer decides, which meshgate cannot evaluate" : "it logs, and allows or denies nothing"}`, side, pointer: after ? "/spec" : "" });
    return notes;
  }

  const index = meshIndexOf(input.head, mesh);
  const change = accessChange({ ...(before ? { before: resourceOf(before) } : {}), ...(after ? { after: resourceOf(after) } : {}), index, trustDomain: mesh.trustDomain, defaultDeny: mesh.defaultDeny });
  const at = { side, pointer: after ? "/spec/rules" : "" } as const;
  if (change.workloads === 0) {
    notes.push({ kind: "authorization", severity: "medium", effect: "neutral", text: `${action} policy for ${scope} applies to no workload of the repository: has no effect here, and this change lets no request in or out that meshgate can see`, ...at });
    return notes;
  }
  const { admitted, rejected } = change;
  // The JWT note already says it: tokenless requests let in (or kept out), and nothing else.
  const tokenOnly = (w: AccessWitness | undefined, other: AccessWitness | undefined, jwtNote: boolean): boolean => jwtNote && w !== undefined && other === undefined && w.request.requestPrincipal === undefined;
  if (tokenOnly(admitted, rejected, baseJwt && !headJwt) || tokenOnly(rejected, admitted, !baseJwt && headJwt)) return notes;
  const accepts = admitted ? `${where(admitted, change.admittedOn)} now accepts ${describeRequest(admitted.request, change.read)}, which it rejected` : "";
  const rejects = rejected ? `${where(rejected, change.rejectedOn)} now rejects ${describeRequest(rejected.request, change.read)}, which it accepted` : "";
  if (admitted && rejected) {
    notes.push({ kind: "authorization", severity: "high", effect: "weakens", text: `authorization widened and narrowed for ${scope}: ${accepts}; ${rejects}`, ...at });
  } else if (admitted) {
    notes.push({ kind: "authorization", severity: "high", effect: "weakens", text: `authorization widened for ${scope}: ${accepts}`, ...at });
  } else if (rejected) {
    notes.push({ kind: "authorization", severity: "low", effect: "strengthens", text: `authorization narrowed for ${scope}: ${rejects}`, ...at });
  } else {
    notes.push({ kind: "authorization", severity: "info", effect: "neutral", text: `${action} policy for ${scope} ${!before ? "added" : !after ? "removed" : "changed"}, with no effect on what its workloads accept: every request probed is decided as before`, ...at });
  }
  return notes;
}
