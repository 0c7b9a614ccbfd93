import type { SchemaIssue } from "../schema-check.js";
import { splitApiVersion } from "../kinds.js";
import type { KubeObject } from "../types.js";
import { GATEWAY_API_FIELDS_JSON } from "./gateway-api-fields.gen.js";
import { unknownFields, type KnownFields } from "./known-fields.js";

let fields: KnownFields | undefined;

/**
 * The unknown fields of a Gateway API document, as strict field validation rejects them, from
 * the field tree generated from @kubernetes-models/gateway-api's declarations; `undefined` when
 * the tree has no such group, version and kind.
 */
export function gatewayApiUnknownFields(object: KubeObject): SchemaIssue[] | undefined {
  // Parsed on first use only: a render without Gateway API documents never pays for it.
  fields ??= JSON.parse(GATEWAY_API_FIELDS_JSON) as KnownFields;
  const [group, version] = splitApiVersion(object.apiVersion);
  const ref = fields.kinds[`${group}/${version}/${object.kind}`];
  if (ref === undefined) return undefined;
  return unknownFields({ value: object, ref, fields });
}
