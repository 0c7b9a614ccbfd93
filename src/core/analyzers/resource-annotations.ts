import { annotationValueProblem } from "./annotation-values.js";
import type { Analyzer, AnalyzerMessage } from "./analyzer.js";
import { isIstioDomainAnnotation, istioAnnotation } from "./istio-annotations.js";

/** The kinds whose annotations Istio's analyzer reads. */
const ANALYZED_KINDS = ["Namespace", "Service", "Pod", "Deployment"];

/**
 * Annotations in Istio's domain on Namespaces, Services, Pods and Deployments: unknown ones
 * (IST0108), deprecated ones (IST0135), ones set on a kind Istio does not read them from
 * (IST0107; a Pod annotation on a Deployment's own metadata, rather than its pod template), and
 * values injection refuses (IST0125). Annotations Istio sets itself (`istio.io/rev`,
 * `sidecar.istio.io/status`) are in the table as Pod annotations, so on a Pod they pass and on a
 * Deployment's own metadata they are misplaced, as in Istio.
 */
export const resourceAnnotations: Analyzer = {
  name: "annotations.K8sAnalyzer",
  codes: ["IST0107", "IST0108", "IST0125", "IST0135"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const kind of ANALYZED_KINDS) {
      for (const resource of context.ofKind(kind)) {
        const { annotations = {}, labels = {} } = resource.object.metadata;
        for (const [name, value] of Object.entries(annotations)) {
          if (!isIstioDomainAnnotation(name)) continue;
          const at = { resource, pointer: `/metadata/annotations/${name.replace(/~/g, "~0").replace(/\//g, "~1")}` };
          const known = istioAnnotation(name);
          if (!known) {
            messages.push({ ...at, code: "IST0108", key: name, args: { annotation: name } });
            continue;
          }
          // Who keeps the deprecated annotation beside its replacement label knows it is deprecated.
          if (known.deprecated && !(name === "sidecar.istio.io/inject" && labels[name] !== undefined)) {
            messages.push({ ...at, code: "IST0135", key: name, args: { annotation: name, extra: known.deprecationNote ?? "" } });
          }
          if (known.resources.includes("Any")) continue;
          if (!(known.resources as readonly string[]).includes(kind)) {
            messages.push({ ...at, code: "IST0107", key: name, args: { annotation: name, kind: known.resources.join(", ") } });
            continue;
          }
          const problem = known.value === undefined ? undefined : annotationValueProblem(known.value, value);
          if (problem !== undefined) messages.push({ ...at, code: "IST0125", key: name, args: { annotation: name, problem } });
        }
      }
    }
    return messages;
  },
};
