import type { NodePath } from "../../manifests/yaml-file.js";
import type { StringMatch, TrafficSplit } from "../component-mesh.js";
import { defineTrait } from "../trait.js";
import { headersSchema } from "./shared-schemas.js";

interface TrafficSplitProps {
  subsets: { name: string; labels: Record<string, string>; weight: number }[];
  match?: { headers: Record<string, StringMatch>; subset: string }[];
  mirror?: { subset: string; percent: number };
}

export const trafficSplit = defineTrait<TrafficSplitProps>({
  type: "traffic-split",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["subsets"],
    properties: {
      subsets: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["name", "labels", "weight"],
          properties: {
            name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
            labels: { type: "object", minProperties: 1, additionalProperties: { type: "string" } },
            // A total other than 100 is rule TRAF-002's finding, not a schema error.
            weight: { type: "integer", minimum: 0, maximum: 100 },
          },
        },
      },
      match: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["headers", "subset"],
          properties: { headers: headersSchema, subset: { type: "string" } },
        },
      },
      mirror: {
        type: "object",
        additionalProperties: false,
        required: ["subset"],
        properties: {
          subset: { type: "string" },
          percent: { type: "number", minimum: 0, maximum: 100, default: 100 },
        },
      },
    },
  },
  render({ props, mesh, trait, report }) {
    // Like a schema error, a broken reference skips the trait rather than render a broken route.
    let errors = 0;
    const fail = (message: string, path: NodePath): void => {
      report("error", message, path);
      errors++;
    };
    const names = new Set<string>();
    props.subsets.forEach((subset, i) => {
      if (names.has(subset.name)) fail(`subset \`${subset.name}\` is defined twice`, ["subsets", i, "name"]);
      names.add(subset.name);
    });
    // Istio rejects a route whose several destinations weigh 0 in total; other totals are TRAF-002's.
    if (props.subsets.length > 1 && props.subsets.every((s) => s.weight === 0)) {
      fail("every subset has weight 0: Istio rejects a route whose destinations weigh 0 in total; give the current version weight 100", ["subsets"]);
    }
    const match = props.match ?? [];
    match.forEach((m, i) => {
      if (!names.has(m.subset)) fail(`match routes to subset \`${m.subset}\`, which \`subsets\` does not define`, ["match", i, "subset"]);
    });
    if (props.mirror && !names.has(props.mirror.subset)) {
      fail(`mirror targets subset \`${props.mirror.subset}\`, which \`subsets\` does not define`, ["mirror", "subset"]);
    }
    if (errors > 0) return;
    const value: TrafficSplit = {
      subsets: props.subsets,
      match: match.map((m) => ({ headers: m.headers, subset: m.subset })),
      ...(props.mirror ? { mirror: props.mirror } : {}),
    };
    mesh.split = { value, by: trait };
  },
});
