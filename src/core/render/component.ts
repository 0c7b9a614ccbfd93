import type { NodePath } from "../manifests/yaml-file.js";
import type { DiagnosticSeverity, KubeObject } from "../types.js";
import type { ComponentInfo, PortInfo } from "./trait.js";

export interface ComponentContext<P> {
  /** Validated properties with defaults filled in (when the type has a schema). */
  props: P;
  /** Name, namespace, host and selector; `ports` is for the renderer to declare. */
  component: Omit<ComponentInfo, "ports">;
  /** Renders an object; `propertyPath` anchors its provenance below the component's properties. */
  emit: (object: KubeObject, propertyPath?: NodePath) => void;
  report: (severity: DiagnosticSeverity, message: string, propertyPath?: NodePath) => void;
}

export interface ComponentDefinition<P = unknown> {
  type: string;
  /** JSON Schema of the properties meshgate reads. Lenient: KubeVela's other properties are allowed. */
  schema?: object;
  /**
   * Renders the workload and returns the ports it serves (undefined: unknown). `standInService`:
   * the Service C it rendered is meshgate's stand-in, which a trait's Service C replaces.
   */
  render: (context: ComponentContext<P>) => { ports?: PortInfo[]; standInService?: boolean };
}

export function defineComponent<P>(definition: ComponentDefinition<P>): ComponentDefinition {
  return definition as ComponentDefinition;
}
