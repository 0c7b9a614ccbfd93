import { defineComponent } from "../component.js";
import { renderWorkload, workloadProperties, type WorkloadProps } from "./workload.js";

export const worker = defineComponent<WorkloadProps>({
  type: "worker",
  schema: { type: "object", required: ["image"], properties: workloadProperties },
  render({ props, component, emit }) {
    for (const object of renderWorkload(component, props, [])) emit(object);
    // A worker serves no port: nothing in the mesh routes to it.
    return { ports: [] };
  },
});
