import type { Resource } from "../types.js";
import { asStrings, at, type MeshIndex } from "./mesh-index.js";

/**
 * The MESH_EXTERNAL ServiceEntry that declares a host (exactly, or by a `*.` wildcard), if any:
 * traffic to it leaves the mesh, so client TLS toward it is no matter of mTLS. A host that is a
 * Service of the render is never external, whatever a ServiceEntry claims, so that declaring an
 * in-mesh host external cannot hide a plaintext DestinationRule toward it.
 */
export function meshExternalEntry(index: MeshIndex, host: unknown, namespace: string): Resource | undefined {
  if (typeof host !== "string" || host.includes("*") && !host.startsWith("*.")) return undefined;
  if (index.services.has(index.fqdn(host, namespace))) return undefined;
  return index.ofKind("ServiceEntry").find((entry) => {
    if (at(entry.object.spec, "location") !== "MESH_EXTERNAL") return false;
    return asStrings(at(entry.object.spec, "hosts")).some((e) => e === host || (e.startsWith("*.") && !host.includes("*") && host.endsWith(e.slice(1))));
  });
}
