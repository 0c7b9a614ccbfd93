import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * A ServiceEntry with TCP ports (or ports of no protocol) needs `addresses`: without them the
 * sidecar cannot tell its traffic from any other on the port, unless the mesh allocates
 * addresses itself (DNS capture with auto-allocation). 
 */
export const serviceEntryAddresses: Analyzer = {
  name: "serviceentry.ProtocolAddressesAnalyzer",
  codes: ["IST0134"],
  analyze(context) {
    if (context.mesh.dnsAutoAllocate) return [];
    const messages: AnalyzerMessage[] = [];
    for (const entry of context.ofKind("ServiceEntry")) {
      if (asArray(at(entry.object.spec, "addresses")).length > 0) continue;
      if (asArray(at(entry.object, "status", "addresses")).length > 0) continue;
      const i = asArray(at(entry.object.spec, "ports")).findIndex((port) => {
        const protocol = at(port, "protocol");
        return protocol === undefined || protocol === "" || (typeof protocol === "string" && protocol.toUpperCase() === "TCP");
      });
      // Istio reports the same message for each such port; one says it.
      if (i >= 0) messages.push({ code: "IST0134", resource: entry, key: "addresses", pointer: `/spec/ports/${i}`, args: {} });
    }
    return messages;
  },
};
