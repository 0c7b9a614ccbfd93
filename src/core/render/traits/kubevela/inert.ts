import { MESH_METADATA_PREFIXES } from "../../../kinds.js";
import { defineTrait, type TraitDefinition } from "../../trait.js";

/**
 * KubeVela's built-in traits (vela-templates/definitions/internal/trait/) that change nothing
 * the mesh acts on: scaling, scheduling, resources, probes, storage, containers, environment.
 * `rollout` is here too: it scales revisions, and the weights between them are the canary
 * workflow's (canary-rollout steps).
 */
const NO_MESH_EFFECT = [
  "affinity", "command", "configmap", "container-image", "container-ports", "cpuscaler", "env", "hostalias", "hpa",
  "import-grafana-dashboard", "init-container", "k8s-update-strategy", "lifecycle", "nocalhost", "node-affinity",
  "podsecuritycontext", "register-grafana-datasource", "resource", "rollout", "scaler", "securitycontext",
  "service-binding", "share-cloud-resource", "sidecar", "startup-probe", "storage", "topologyspreadconstraints",
];

/**
 * Built-in traits that patch the workload with whatever they are given: no mesh effect,
 * unless what they set is mesh metadata (a sidecar annotation, an Istio label) or host
 * networking, which meshgate does not patch into the rendered workload and so cannot judge.
 */
const WORKLOAD_PATCHES = ["annotations", "labels", "json-patch", "json-merge-patch", "patch"];

function meshSetting(props: unknown): string | undefined {
  const text = JSON.stringify(props);
  const prefix = MESH_METADATA_PREFIXES.find((p) => text.includes(`"${p}`) || text.includes(`/${p.replaceAll("/", "~1")}`));
  if (prefix !== undefined) return `it sets \`${prefix}…\` on the workload`;
  if (text.includes("hostNetwork")) return "it sets hostNetwork, which takes the pods out of the proxy";
  // The proxy's own UID: Istio's iptables rules let its traffic leave uncaptured.
  return /"runAsUser":\s*"?1337\b/.test(text) ? "it runs a container as UID 1337, the proxy's, whose outbound traffic Istio does not capture" : undefined;
}

export const INERT_TRAITS: TraitDefinition[] = [
  // Any of them could carry mesh metadata or the proxy's UID (a sidecar's container, a securitycontext).
  ...NO_MESH_EFFECT.map((type) => defineTrait<unknown>({ type, schema: { type: "object" }, render: () => undefined, inert: { unless: meshSetting } })),
  ...WORKLOAD_PATCHES.map((type) => defineTrait<unknown>({ type, schema: { type: "object" }, render: () => undefined, inert: { unless: meshSetting } })),
];
