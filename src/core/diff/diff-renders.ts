import { defaultConfig, type Config } from "../config/config.js";
import { identityOf, sortResources } from "../render/identity.js";
import type { RenderResult, Resource } from "../types.js";
import { behaviourNotes } from "./behaviour-notes.js";
import type { ChangeSet, FieldChange, ResourceChange } from "./change-set.js";
import { environmentsOnly } from "./environments-only.js";
import { fieldChanges } from "./field-changes.js";
import { resourcePatch } from "./resource-patch.js";
import { sameJson } from "./same-json.js";

function byIdentity(resources: readonly Resource[]): Map<string, Resource> {
  return new Map(resources.map((r) => [identityOf(r.object, r), r]));
}

/**
 * What changes between two renders, resource by resource: matched by identity (so a rename is
 * an addition and a removal), with the changed fields, a unified YAML diff and behavioural
 * notes. Pure; sorted by kind, namespace, name. `mesh` (config `mesh`, defaults when absent)
 * is what the notes judge against: the root namespace, the trust domain, a default-deny.
 */
export function diffRenders(base: Pick<RenderResult, "resources">, head: Pick<RenderResult, "resources">, options: { mesh?: Config["mesh"] } = {}): ChangeSet {
  const mesh = options.mesh ?? defaultConfig().mesh;
  const [baseById, headById] = [byIdentity(base.resources), byIdentity(head.resources)];
  const changed: { identity: string; before?: Resource; after?: Resource; resource: Resource; fields: FieldChange[] }[] = [];
  for (const identity of new Set([...baseById.keys(), ...headById.keys()])) {
    const before = baseById.get(identity);
    const after = headById.get(identity);
    if (before && after && sameJson(before.object, after.object)) continue;
    const resource = after ?? before;
    if (!resource) continue;
    const fields: FieldChange[] = before && after
      ? fieldChanges(before.object, after.object)
      : [{ path: "", pointer: "", before: before ? before.object : null, after: after ? after.object : null }];
    // Items reordered where order does not matter: no change at all.
    if (fields.length === 0) continue;
    changed.push({ identity, ...(before ? { before } : {}), ...(after ? { after } : {}), resource, fields });
  }
  const only = environmentsOnly({ base: base.resources, head: head.resources, changed: changed.map((c) => c.resource) });
  const changes = new Map<Resource, ResourceChange>();
  for (const { identity, before, after, resource, fields } of changed) {
    const { kind, metadata } = resource.object;
    changes.set(resource, {
      change: before && after ? "modified" : after ? "added" : "removed",
      identity,
      kind,
      namespace: metadata.namespace ?? "",
      name: metadata.name,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      fields,
      notes: behaviourNotes({ before, after, base: base.resources, head: head.resources, mesh, only: only.get(resource) }),
      patch: resourcePatch({ label: `${kind}/${metadata.namespace ?? "_"}/${metadata.name}.yaml`, before: before?.object, after: after?.object }),
    });
  }
  return { changes: sortResources(changed.map((c) => c.resource)).flatMap((r) => changes.get(r) ?? []) };
}
