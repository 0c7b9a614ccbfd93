import type { JsonObject, JsonValue, Resource } from "../../types.js";
import { asArray, at } from "../mesh-index.js";

/** One `tls` block of a DestinationRule (client side: how its proxies originate TLS). */
export interface ClientTlsSettings {
  tls: JsonObject;
  /** Where it is, by names rather than indices (`subsets[canary].trafficPolicy.portLevelSettings[port=8443].tls`). */
  path: string;
  /** JSON pointer of the block, e.g. `/spec/subsets/1/trafficPolicy/tls`. */
  pointer: string;
}

/**
 * Every `tls` block of a DestinationRule: the top-level traffic policy, its port-level settings,
 * and the same two levels in each subset's traffic policy.
 */
export function clientTlsSettings(destinationRule: Resource): ClientTlsSettings[] {
  const spec = destinationRule.object.spec;
  const found: ClientTlsSettings[] = [...ofTrafficPolicy(at(spec, "trafficPolicy"), "trafficPolicy", "/spec/trafficPolicy")];
  asArray(at(spec, "subsets")).forEach((subset, i) => {
    const name = at(subset, "name");
    const label = `subsets[${typeof name === "string" ? name : `#${i}`}].trafficPolicy`;
    found.push(...ofTrafficPolicy(at(subset, "trafficPolicy"), label, `/spec/subsets/${i}/trafficPolicy`));
  });
  return found;
}

function ofTrafficPolicy(policy: JsonValue | undefined, path: string, pointer: string): ClientTlsSettings[] {
  const found: ClientTlsSettings[] = [];
  const tls = tlsBlock(at(policy, "tls"));
  if (tls) found.push({ tls, path: `${path}.tls`, pointer: `${pointer}/tls` });
  asArray(at(policy, "portLevelSettings")).forEach((setting, j) => {
    const portTls = tlsBlock(at(setting, "tls"));
    const number = at(setting, "port", "number");
    const port = typeof number === "number" ? `port=${String(number)}` : `#${j}`;
    if (portTls) found.push({ tls: portTls, path: `${path}.portLevelSettings[${port}].tls`, pointer: `${pointer}/portLevelSettings/${j}/tls` });
  });
  return found;
}

function tlsBlock(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}
