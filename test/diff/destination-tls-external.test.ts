import { describe, expect, it } from "vitest";
import { diffRenders } from "../../src/core/diff/diff-renders.js";
import { renderFiles } from "../support/render.js";
import { noteLines } from "./diff-fixture.js";

// DISABLE toward a MESH_EXTERNAL host is no mTLS downgrade: the note says whether the
// application speaks TLS itself or the egress is declared plaintext. Removing TLS the sidecar
// originated, and DISABLE toward an in-mesh host, stay downgrades.

const ENTRY = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: partner, namespace: shop }
spec:
  hosts: [api.partner.example.org]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }, { number: 80, name: http, protocol: HTTP }]
`;

function rule(host: string, tls: string): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: partner, namespace: shop }
spec:
  host: ${host}
  trafficPolicy:
${tls}`;
}

function notes(base: string, head: string, entry = ENTRY): string[] {
  return noteLines(diffRenders(renderFiles({ "entry.yaml": entry, "rule.yaml": base }), renderFiles({ "entry.yaml": entry, "rule.yaml": head })));
}

const HOST = "api.partner.example.org";

describe("destination TLS notes toward a host outside the mesh", () => {
  it("DISABLE is no downgrade: says which ports speak TLS themselves and which are plaintext egress", () => {
    expect(notes(rule(HOST, "    loadBalancer: { simple: ROUND_ROBIN }\n"), rule(HOST, "    tls: { mode: DISABLE }\n"))).toEqual([
      expect.stringMatching(/^low neutral destination-tls: TLS to api\.partner\.example\.org: auto mTLS \(no tls block\) → DISABLE, toward a host outside the mesh \(MESH_EXTERNAL ServiceEntry shop\/partner\), no mTLS downgrade: the application speaks TLS itself on 443\/TLS; plaintext egress declared on 80\/HTTP/) as string,
    ]);
  });

  it("per port, only that port's protocol is named", () => {
    const head = rule(HOST, "    portLevelSettings: [{ port: { number: 443 }, tls: { mode: DISABLE } }]\n");
    expect(notes(rule(HOST, "    portLevelSettings: [{ port: { number: 443 }, loadBalancer: { simple: ROUND_ROBIN } }]\n"), head)).toEqual([
      expect.stringMatching(/^info neutral destination-tls: TLS to api\.partner\.example\.org port 443: .* no mTLS downgrade: the application speaks TLS itself on 443\/TLS — /) as string,
    ]);
  });

  it("TLS the sidecar originated (SIMPLE → DISABLE) is still a downgrade", () => {
    expect(notes(rule(HOST, "    tls: { mode: SIMPLE }\n"), rule(HOST, "    tls: { mode: DISABLE }\n"))).toEqual([expect.stringMatching(/^high weakens destination-tls: TLS to api\.partner\.example\.org: SIMPLE → DISABLE \(security downgrade: plaintext\)/) as string]);
  });

  it("a host the mesh serves is not external because an entry says so", () => {
    const service = `apiVersion: v1\nkind: Service\nmetadata: { name: ledger, namespace: shop }\nspec:\n  selector: { app: ledger }\n  ports: [{ name: http, port: 8080 }]\n---\n`;
    const entry = `${service}${ENTRY.replace("api.partner.example.org", "ledger.shop.svc.cluster.local")}`;
    expect(notes(rule("ledger", "    loadBalancer: { simple: ROUND_ROBIN }\n"), rule("ledger", "    tls: { mode: DISABLE }\n"), entry)).toEqual([expect.stringMatching(/^high weakens destination-tls: TLS to ledger: auto mTLS \(no tls block\) → DISABLE \(security downgrade: plaintext\)/) as string]);
  });
});
