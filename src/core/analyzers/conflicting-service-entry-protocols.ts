import type { Resource } from "../types.js";
import { asArray, asStrings, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { exportScope } from "./service-registry.js";

/**
 * ServiceEntries that one namespace sees together (their exportTo scopes overlap) and that
 * declare the same host and port with different protocols: the proxy builds one listener,
 * with only one of them.
 */
export const conflictingServiceEntryProtocols: Analyzer = {
  name: "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
  codes: ["IST0177"],
  analyze(context) {
    const entries: { entry: Resource; host: string; port: number; protocol: string; scope: string[] }[] = [];
    for (const entry of context.ofKind("ServiceEntry")) {
      const scope = exportScope(entry);
      for (const host of asStrings(at(entry.object.spec, "hosts"))) {
        for (const port of asArray(at(entry.object.spec, "ports"))) {
          const number = at(port, "number");
          const protocol = at(port, "protocol");
          if (typeof number !== "number") continue;
          entries.push({ entry, host, port: number, protocol: typeof protocol === "string" ? protocol.toUpperCase() : "", scope });
        }
      }
    }
    const overlap = (a: string[], b: string[]): boolean => a.includes("*") || b.includes("*") || a.some((ns) => b.includes(ns));
    const messages: AnalyzerMessage[] = [];
    for (const a of entries) {
      const peers = entries.filter((b) => b.host === a.host && b.port === a.port && overlap(a.scope, b.scope));
      const protocols = [...new Set(peers.map((p) => p.protocol))].sort();
      if (protocols.length < 2) continue;
      const names = [...new Set(peers.map((p) => `${context.namespaceOf(p.entry)}/${p.entry.object.metadata.name}`))].sort();
      messages.push({
        code: "IST0177",
        resource: a.entry,
        key: `${a.host}:${a.port}`,
        pointer: "/spec/ports",
        args: { serviceEntries: names.join(", "), host: a.host, port: String(a.port), protocols: protocols.join(", ") },
      });
    }
    return messages;
  },
};
