import { parseDocument } from "yaml";
import type { JsonValue } from "../../types.js";
import { at, stringMap } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { pointerSegment } from "./authorization-scope.js";

type Place = "annotations" | "labels";

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
  /** Where each workload kind keeps its pod template (a JSON pointer; "" for a Pod itself). */
  podTemplates: Record<string, string>;
  overrides: Override[];
  /** Fields of the per-pod proxy configuration annotation that weaken the proxy. */
  proxyConfig: { annotation: string; fields: { field: string; values: string[] }[] };
}

const strings = { type: "array", minItems: 1, uniqueItems: true, items: { type: "string" } } as const;

/**
 * Pod templates that take a workload out of the mesh, or part of its traffic out of the proxy:
 * no sidecar, ports or address ranges excluded from capture, mTLS switched off for the pod.
 * Traffic that bypasses the proxy bypasses mTLS and every authorization policy with it.
 */
export const podMeshOverride = defineTemplate<PodMeshOverrideParams>({
  name: "pod-mesh-override",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["podTemplates", "overrides", "proxyConfig"],
    properties: {
      podTemplates: { type: "object", minProperties: 1, additionalProperties: { type: "string", pattern: "^(/.*)?$" } },
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
            in: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: ["annotations", "labels"] } },
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
  check({ render }, { podTemplates, overrides, proxyConfig }) {
    const drafts: FindingDraft[] = [];
    for (const resource of render.resources) {
      const template = podTemplates[resource.object.kind];
      if (template === undefined) continue;
      const root: JsonValue = resource.object;
      const metadata = at(root, ...segmentsOf(template), "metadata");
      const workload = `${resource.object.kind} ${resource.object.metadata.namespace ?? ""}/${resource.object.metadata.name}`;
      const place = (where: Place, name: string): string => `${template}/metadata/${where}/${pointerSegment(name)}`;
      for (const where of ["annotations", "labels"] as const) {
        const present = stringMap(at(metadata, where));
        for (const override of overrides) {
          const value = present[override.name];
          if (value === undefined || !override.in.includes(where) || !isOverride(override, value)) continue;
          drafts.push({ resource, key: `${where}/${override.name}`, pointer: place(where, override.name), values: { workload, where: where.slice(0, -1), name: override.name, value: JSON.stringify(value) } });
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

function isOverride(override: Override, value: string): boolean {
  if (override.values) return matches(override.values, value);
  return !matches(override.except ?? [""], value);
}

function matches(list: string[], value: string): boolean {
  const normalized = value.trim().toLowerCase();
  return list.some((v) => v.trim().toLowerCase() === normalized);
}

function segmentsOf(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
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
