import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

type Labels = Record<string, string>;
/** One label requirement of a webhook's selector (Kubernetes' In, NotIn, DoesNotExist). */
type Requirement = { key: string; op: "In" | "NotIn" | "DoesNotExist"; values?: string[] };

/**
 * The sidecar injector webhooks of Istio's default install (the istiod chart with the default
 * revision tag): namespace and object selectors of `namespace.`, `object.`, `rev.namespace.` and
 * `rev.object.sidecar-injector.istio.io`. The injector is installed with Istio, not by the
 * repository, so these are what decides whether a pod is injected.
 */
const DEFAULT_WEBHOOKS: readonly { namespace: Requirement[]; object: Requirement[] }[] = [
  { namespace: [{ key: "istio-injection", op: "In", values: ["enabled"] }], object: [{ key: "sidecar.istio.io/inject", op: "NotIn", values: ["false"] }] },
  {
    namespace: [{ key: "istio-injection", op: "DoesNotExist" }, { key: "istio.io/rev", op: "DoesNotExist" }],
    object: [{ key: "sidecar.istio.io/inject", op: "In", values: ["true"] }, { key: "istio.io/rev", op: "DoesNotExist" }],
  },
  {
    namespace: [{ key: "istio.io/rev", op: "In", values: ["default"] }, { key: "istio-injection", op: "DoesNotExist" }],
    object: [{ key: "sidecar.istio.io/inject", op: "NotIn", values: ["false"] }],
  },
  {
    namespace: [{ key: "istio.io/rev", op: "DoesNotExist" }, { key: "istio-injection", op: "DoesNotExist" }],
    object: [{ key: "sidecar.istio.io/inject", op: "NotIn", values: ["false"] }, { key: "istio.io/rev", op: "In", values: ["default"] }],
  },
];

function satisfies(requirements: readonly Requirement[], labels: Labels): boolean {
  return requirements.every(({ key, op, values = [] }) => {
    const value = labels[key];
    if (op === "DoesNotExist") return value === undefined;
    if (op === "In") return value !== undefined && values.includes(value);
    return value === undefined || !values.includes(value);
  });
}

/** Whether Istio's injector webhooks inject a pod with these labels in a namespace with these labels. */
export function injectedByWebhooks(namespaceLabels: Labels, podLabels: Labels): boolean {
  return DEFAULT_WEBHOOKS.some((w) => satisfies(w.namespace, namespaceLabels) && satisfies(w.object, podLabels));
}

/**
 * `image: auto` on an `istio-proxy` container is a placeholder the injector fills in. A Pod with
 * it cannot start whether or not a webhook matches, since injection happens at creation and a
 * Pod written with the placeholder is not re-injected (IST0147, Istio reports every such Pod);
 * a Deployment with it runs only if the injector selects its pods (IST0146).
 */
export const imageAuto: Analyzer = {
  name: "injection.ImageAutoAnalyzer",
  codes: ["IST0146", "IST0147"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const workload of context.workloads) {
      if (workload.kind !== "Pod" && workload.kind !== "Deployment") continue;
      const containers = asArray(at(workload.pod, "spec", "containers"));
      const index = containers.findIndex((c) => at(c, "name") === "istio-proxy" && at(c, "image") === "auto");
      if (index < 0) continue;
      const pointer = `${workload.kind === "Pod" ? "" : "/spec/template"}/spec/containers/${index}/image`;
      const args = { resourceType: workload.kind, resourceName: workload.name };
      if (workload.kind === "Pod") {
        messages.push({ code: "IST0147", resource: workload.resource, key: "image-auto", pointer, args });
        continue;
      }
      const namespaceLabels = context.namespaces.get(workload.namespace || "default")?.object.metadata.labels ?? {};
      if (!injectedByWebhooks(namespaceLabels, workload.labels)) messages.push({ code: "IST0146", resource: workload.resource, key: "image-auto", pointer, args });
    }
    return messages;
  },
};
