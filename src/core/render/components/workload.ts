import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { KubeObject } from "../../types.js";
import type { ComponentInfo, PortInfo } from "../trait.js";

export interface WorkloadProps {
  image: string;
  replicas?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * The ServiceAccount C (the workload's mesh identity `cluster.local/ns/NS/sa/C`) and a
 * Deployment skeleton: enough to check references and pod-level mesh overrides, not a full
 * KubeVela workload.
 */
export function renderWorkload(component: Omit<ComponentInfo, "ports">, props: WorkloadProps, ports: PortInfo[]): KubeObject[] {
  const metadata = { name: component.name, namespace: component.namespace };
  const serviceAccount = new ServiceAccount({ metadata });
  const deployment = new Deployment({
    metadata,
    spec: {
      ...(props.replicas !== undefined ? { replicas: props.replicas } : {}),
      selector: { matchLabels: component.selector },
      template: {
        metadata: {
          labels: { ...props.labels, ...component.selector, app: component.name },
          ...(props.annotations && Object.keys(props.annotations).length > 0 ? { annotations: props.annotations } : {}),
        },
        spec: {
          serviceAccountName: component.name,
          containers: [
            {
              name: component.name,
              image: props.image,
              ...(ports.length > 0 ? { ports: ports.map((p) => ({ containerPort: p.port, protocol: p.protocol })) } : {}),
            },
          ],
        },
      },
    },
  });
  return [serviceAccount.toJSON() as KubeObject, deployment.toJSON() as KubeObject];
}

export const workloadProperties = {
  image: { type: "string", minLength: 1 },
  replicas: { type: "integer", minimum: 0 },
  labels: { type: "object", additionalProperties: { type: "string" } },
  annotations: { type: "object", additionalProperties: { type: "string" } },
} as const;
