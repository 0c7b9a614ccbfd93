import type { Resource } from "../../types.js";
import { asArray, asStrings, at, stringMap, type MeshIndex } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

/**
 * Resources that add endpoints to traffic meant for someone else: a WorkloadEntry (or the
 * WorkloadGroup template of VMs) whose labels a Service's selector matches joins that Service's
 * endpoints, so a machine outside the cluster receives its traffic; a MESH_INTERNAL ServiceEntry
 * with static `endpoints` sends a host's traffic to the addresses it lists, one with `addresses`
 * captures traffic to those IPs, and one exported to every namespace (`exportTo: ["*"]`, the
 * default) for a host it does not own (a cluster host of another namespace, or a host another
 * namespace's ServiceEntry declares) competes with the owner's definition everywhere.
 */
export const endpointInjection = defineTemplate<Record<string, never>>({
  name: "endpoint-injection",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index }) {
    return [
      ...index.ofKind("WorkloadEntry").flatMap((entry) => joins(index, entry, stringMap(at(entry.object.spec, "labels")), "/spec/labels")),
      ...index.ofKind("WorkloadGroup").flatMap((group) => joins(index, group, stringMap(at(group.object.spec, "metadata", "labels")), "/spec/metadata/labels")),
      ...index.ofKind("ServiceEntry").flatMap((entry) => internalEntry(index, entry)),
    ];
  },
});

const nameOf = (resource: Resource): string => `${resource.object.metadata.namespace ?? ""}/${resource.object.metadata.name}`;

function joins(index: MeshIndex, resource: Resource, labels: Record<string, string>, pointer: string): FindingDraft[] {
  const namespace = resource.object.metadata.namespace ?? "";
  return [...index.services.values()]
    .filter((s) => s.namespace === namespace && Object.keys(s.selector).length > 0 && Object.entries(s.selector).every(([k, v]) => labels[k] === v))
    .map((service) => ({
      resource,
      key: `service/${service.host}`,
      pointer,
      values: { resource: `${resource.object.kind} ${nameOf(resource)}`, what: `joins the endpoints of Service ${service.namespace}/${service.name}: its traffic reaches a machine outside the cluster` },
    }));
}

function internalEntry(index: MeshIndex, entry: Resource): FindingDraft[] {
  if (at(entry.object.spec, "location") !== "MESH_INTERNAL") return [];
  const drafts: FindingDraft[] = [];
  const resource = `ServiceEntry ${nameOf(entry)}`;
  const hosts = asStrings(at(entry.object.spec, "hosts"));
  const endpoints = asArray(at(entry.object.spec, "endpoints"));
  if (endpoints.length > 0) {
    const addresses = endpoints.map((e) => at(e, "address")).filter((a): a is string => typeof a === "string");
    drafts.push({ resource: entry, key: "endpoints", value: { text: [...addresses].sort().join(",") }, pointer: "/spec/endpoints", values: { resource, what: `sends the traffic of ${hosts.join(", ")} to static endpoints (${addresses.join(", ") || "?"})` } });
  }
  const addresses = asStrings(at(entry.object.spec, "addresses"));
  if (addresses.length > 0) {
    drafts.push({ resource: entry, key: "addresses", value: { text: [...addresses].sort().join(",") }, pointer: "/spec/addresses", values: { resource, what: `captures the mesh's traffic to ${addresses.join(", ")}` } });
  }
  const exportTo = at(entry.object.spec, "exportTo");
  if (exportTo === undefined || asStrings(exportTo).includes("*")) {
    for (const host of hosts.filter((h) => !owns(index, entry, h))) {
      drafts.push({ resource: entry, key: `hosts/${host}/exportTo`, pointer: "/spec/hosts", values: { resource, what: `declares host ${host}, which it does not own, for every namespace` } });
    }
  }
  return drafts;
}

/** A host is another's when it is a cluster host of another namespace, or another namespace's ServiceEntry declares it. */
function owns(index: MeshIndex, entry: Resource, host: string): boolean {
  const namespace = entry.object.metadata.namespace ?? "";
  const cluster = new RegExp(`^[^.]+\\.([^.]+)\\.svc\\.${index.clusterDomain.replace(/\./g, "\\.")}$`).exec(host);
  if (cluster && cluster[1] !== namespace) return false;
  return !index.ofKind("ServiceEntry").some((other) => (other.object.metadata.namespace ?? "") !== namespace && asStrings(at(other.object.spec, "hosts")).includes(host));
}
