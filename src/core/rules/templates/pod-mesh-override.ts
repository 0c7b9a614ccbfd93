import { parseDocument } from "yaml";
import { kindInfo } from "../../kinds.js";
import type { JsonValue, Resource } from "../../types.js";
import { at, stringMap } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { pointerSegment } from "./authorization-scope.js";

/** Where an override is written: the pod's annotations or labels, or its Namespace's labels. */
type Place = "annotations" | "labels" | "namespaceLabels";

interface Override {
  /** The annotation or label name. */
  name: string;
  in: Place[];
  /** Fires on these values only (compared trimmed and case-insensitively)… */
  values?: string[];
  /** …or on any value but these. Neither: on any non-empty value. */
  except?: string[];
}

interface PodMeshOverrideParams {
  overrides: Override[];
  /** Fields of the per-pod proxy configuration annotation that weaken the proxy. */
  proxyConfig: { annotation: string; fields: { field: string; values: string[] }[] };
}

const strings = { type: "array", minItems: 1, uniqueItems: true, items: { type: "string" } } as const;

/**
 * Pod templates that take a workload out of the mesh, or part of its traffic out of the proxy:
 * no sidecar, a proxy image, bootstrap or injection template of its own, ports or address
 * ranges excluded from capture, mTLS switched off for the pod; and Namespaces whose labels do
 * so for every pod in them. Traffic that bypasses the proxy bypasses mTLS and every
 * authorization policy with it. Every workload kind of the kinds registry is read, at the pod
 * template the registry names.
 */
export const podMeshOverride = defineTemplate<PodMeshOverrideParams>({
  name: "pod-mesh-override",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["overrides", "proxyConfig"],
    properties: {
      overrides: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["name", "in"],
          description: "set `values` or `except`, not both",
          not: { required: ["values", "except"], properties: { values: {}, except: {} } },
          properties: {
            name: { type: "string", minLength: 1 },
            in: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: ["annotations", "labels", "namespaceLabels"] } },
            values: strings,
            except: strings,
          },
        },
      },
      proxyConfig: {
        type: "object",
        additionalProperties: false,
        required: ["annotation", "fields"],
        properties: {
          annotation: { type: "string", minLength: 1 },
          fields: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["field", "values"],
              properties: { field: { type: "string", pattern: "^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$" }, values: strings },
            },
          },
        },
      },
    },
  },
  check({ index }, { overrides, proxyConfig }) {
    const drafts: FindingDraft[] = [...namespaceOverrides(index.ofKind("Namespace"), overrides)];
    for (const { resource } of index.workloads) {
      const segments = kindInfo(resource.object)?.podTemplate ?? [];
      const template = segments.map((s) => `/${pointerSegment(s)}`).join("");
      const root: JsonValue = resource.object;
      const metadata = at(root, ...segments, "metadata");
      const workload = `${resource.object.kind} ${resource.object.metadata.namespace ?? ""}/${resource.object.metadata.name}`;
      const place = (where: Place, name: string): string => `${template}/metadata/${where}/${pointerSegment(name)}`;
      for (const where of ["annotations", "labels"] as const) {
        const present = stringMap(at(metadata, where));
        for (const override of overrides) {
          const value = present[override.name];
          if (value === undefined || !override.in.includes(where) || !isOverride(override, value)) continue;
          drafts.push({ resource, key: `${where}/${override.name}`, value: { text: value }, pointer: place(where, override.name), values: { workload, where: where.slice(0, -1), name: override.name, value: JSON.stringify(value) } });
        }
      }
      const proxy = stringMap(at(metadata, "annotations"))[proxyConfig.annotation];
      if (proxy === undefined) continue;
      const config = readYaml(proxy);
      for (const { field, values } of proxyConfig.fields) {
        const value = at(config, ...field.split("."));
        if ((typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") || !matches(values, String(value))) continue;
        drafts.push({
          resource,
          key: `annotations/${proxyConfig.annotation}/${field}`,
          pointer: place("annotations", proxyConfig.annotation),
          values: { workload, where: "annotation", name: `${proxyConfig.annotation} ${field}`, value: JSON.stringify(value) },
        });
      }
    }
    return drafts;
  },
});

/** Namespace labels that take every pod of the namespace out of the proxy (`istio-injection: disabled`). */
function namespaceOverrides(namespaces: readonly Resource[], overrides: readonly Override[]): FindingDraft[] {
  return namespaces.flatMap((namespace) => {
    const labels = stringMap(at(namespace.object, "metadata", "labels"));
    return overrides.flatMap((override): FindingDraft[] => {
      const value = labels[override.name];
      if (value === undefined || !override.in.includes("namespaceLabels") || !isOverride(override, value)) return [];
      return [
        {
          resource: namespace,
          key: `namespaceLabels/${override.name}`,
          value: { text: value },
          pointer: `/metadata/labels/${pointerSegment(override.name)}`,
          values: { workload: `Namespace ${namespace.object.metadata.name}`, where: "label (for every pod of the namespace)", name: override.name, value: JSON.stringify(value) },
        },
      ];
    });
  });
}

function isOverride(override: Override, value: string): boolean {
  if (override.values) return matches(override.values, value);
  return !matches(override.except ?? [""], value);
}

function matches(list: string[], value: string): boolean {
  const normalized = value.trim().toLowerCase();
  return list.some((v) => v.trim().toLowerCase() === normalized);
}

/** The annotation's YAML, or nothing when it does not parse (the injector would refuse the pod). */
function readYaml(text: string): JsonValue | undefined {
  try {
    const document = parseDocument(text, { uniqueKeys: false });
    if (document.errors.length > 0) return undefined;
    return document.toJS({ maxAliasCount: 10 }) as JsonValue;
  } catch {
    return undefined;
  }
}
