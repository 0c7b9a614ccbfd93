import type { JsonValue, Resource } from "../../types.js";
import { asArray, at, type MeshIndex } from "../mesh-index.js";

// Istio's authorization semantics that several access templates share.

/** Whether a resource is of Istio's security API group (not a namesake kind of another group). */
export function isSecurityResource(resource: Resource): boolean {
  return resource.object.apiVersion.startsWith("security.istio.io/");
}

/** The Istio security resources of a kind. */
export function securityResources(index: MeshIndex, kind: string): Resource[] {
  return index.ofKind(kind).filter(isSecurityResource);
}

/** A policy's action: Istio's default is ALLOW. */
export function actionOf(policy: Resource): string {
  const action = at(policy.object.spec, "action");
  return typeof action === "string" ? action : "ALLOW";
}

/** Istio's allow-nothing: an ALLOW policy without rules denies every request to what it selects. */
export function isAllowNothing(policy: Resource): boolean {
  if (actionOf(policy) !== "ALLOW") return false;
  const rules: JsonValue | undefined = at(policy.object.spec, "rules");
  return rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0);
}

/** The rules of a policy, each with its index (a `null` entry is read as the empty rule). */
export function rulesOf(policy: Resource): { rule: JsonValue; index: number }[] {
  return asArray(at(policy.object.spec, "rules")).map((rule, index) => ({ rule: rule ?? {}, index }));
}

/** A JSON pointer segment (RFC 6901): `/` and `~` escaped. */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}
