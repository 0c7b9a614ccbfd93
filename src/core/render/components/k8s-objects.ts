import { isObject } from "../../manifests/read-manifests.js";
import type { KubeObject } from "../../types.js";
import { defineComponent } from "../component.js";

export const k8sObjects = defineComponent<{ objects: unknown[] }>({
  type: "k8s-objects",
  schema: { type: "object", required: ["objects"], properties: { objects: { type: "array" } } },
  render({ props, component, emit, report }) {
    props.objects.forEach((object, i) => {
      const metadata = isObject(object) ? object.metadata : undefined;
      if (!isObject(object) || typeof object.apiVersion !== "string" || typeof object.kind !== "string" || !isObject(metadata) || typeof metadata.name !== "string") {
        report("error", "each of `objects` needs apiVersion, kind and metadata.name", ["objects", i]);
        return;
      }
      // Passed through unchanged, except that a namespace-less object lands in the Application's.
      emit({ ...object, metadata: { ...metadata, name: metadata.name, namespace: typeof metadata.namespace === "string" ? metadata.namespace : component.namespace } } as KubeObject, ["objects", i]);
    });
    // What the objects serve is not known to meshgate.
    return {};
  },
});
