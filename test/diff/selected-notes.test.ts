import { describe, expect, it } from "vitest";
import { diffRenders } from "../../src/core/diff/diff-renders.js";
import { renderFiles } from "../support/render.js";
import { deployment, noteLines } from "./diff-fixture.js";

// Notes of the four policy kinds MESH-006 judges come from what each version selects: a version
// that selects no workload is said to have no effect, never to protect or require anything.

const HEADER = (kind: string, group: string) => `apiVersion: ${group}/v1\nkind: ${kind}\nmetadata: { name: guard, namespace: shop }\nspec:\n`;

/** Each kind as a strong version and a weaker one, both selecting `app: <app>`. */
const KINDS: { kind: string; claim: RegExp; strong: (app: string) => string; weak: (app: string) => string }[] = [
  {
    kind: "AuthorizationPolicy",
    claim: /widened|narrowed|JWT (now|no longer) required/,
    strong: (app) => `${HEADER("AuthorizationPolicy", "security.istio.io")}  selector: { matchLabels: { app: ${app} } }\n  action: DENY\n  rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }]\n`,
    weak: (app) => `${HEADER("AuthorizationPolicy", "security.istio.io")}  selector: { matchLabels: { app: ${app} } }\n  action: DENY\n  rules: [{ to: [{ operation: { paths: ["/debug"] } }] }]\n`,
  },
  {
    kind: "PeerAuthentication",
    claim: /mTLS|STRICT|plaintext/,
    strong: (app) => `${HEADER("PeerAuthentication", "security.istio.io")}  selector: { matchLabels: { app: ${app} } }\n  mtls: { mode: STRICT }\n`,
    weak: (app) => `${HEADER("PeerAuthentication", "security.istio.io")}  selector: { matchLabels: { app: ${app} } }\n  mtls: { mode: PERMISSIVE }\n`,
  },
  {
    kind: "RequestAuthentication",
    claim: /accepts tokens|issuer|audience/,
    strong: (app) => `${HEADER("RequestAuthentication", "security.istio.io")}  selector: { matchLabels: { app: ${app} } }\n  jwtRules: [{ issuer: "https://login.example.com", audiences: [shop] }]\n`,
    weak: (app) => `${HEADER("RequestAuthentication", "security.istio.io")}  selector: { matchLabels: { app: ${app} } }\n  jwtRules: [{ issuer: "https://login.example.com", audiences: [shop] }, { issuer: "https://partner.example.com" }]\n`,
  },
  {
    kind: "Sidecar",
    claim: /may now reach|may no longer reach|outbound traffic/,
    strong: (app) => `${HEADER("Sidecar", "networking.istio.io")}  workloadSelector: { labels: { app: ${app} } }\n  egress: [{ hosts: ["./*"] }]\n  outboundTrafficPolicy: { mode: REGISTRY_ONLY }\n`,
    weak: (app) => `${HEADER("Sidecar", "networking.istio.io")}  workloadSelector: { labels: { app: ${app} } }\n  egress: [{ hosts: ["./*", "payments/*"] }]\n  outboundTrafficPolicy: { mode: ALLOW_ANY }\n`,
  },
];

function notes(base: string | undefined, head: string | undefined): string[] {
  const side = (policy: string | undefined) => renderFiles({ "workloads.yaml": deployment("web"), ...(policy !== undefined ? { "policy.yaml": policy } : {}) });
  return noteLines(diffRenders(side(base), side(head)));
}

describe.each(KINDS)("$kind notes follow what it selects", ({ kind, claim, strong, weak }) => {
  it("selecting workloads, its own notes describe the change", () => {
    const lines = notes(strong("web"), weak("web"));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => claim.test(l))).toBe(true);
    expect(lines.join("\n")).not.toMatch(/selects no workload/);
  });

  it("a selector that stops matching weakens: one note, has no effect, naming what lost it", () => {
    const lines = notes(strong("web"), strong("wbe"));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^high weakens \\S+: ${kind} shop/guard selects no workload \\(workloads app=wbe in namespace shop\\): has no effect; in the base it applied to shop/web, which lose what it enforced`)) as string]);
  });

  it("selecting nothing on either side, a change of its rules claims nothing", () => {
    for (const [base, head] of [[weak("ghost"), strong("ghost")], [strong("ghost"), weak("ghost")]] as const) {
      const lines = notes(base, head);
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^medium neutral \\S+: ${kind} shop/guard selects no workload \\(workloads app=ghost in namespace shop\\): has no effect, whatever its rules now say`)) as string]);
      expect(lines[0]).not.toMatch(claim);
    }
  });

  it("added selecting nothing, or removed having selected nothing, has no effect", () => {
    expect(notes(undefined, strong("ghost"))).toEqual([expect.stringMatching(/^medium neutral \S+: .* selects no workload .*: has no effect, whatever its rules say/) as string]);
    expect(notes(strong("ghost"), undefined)).toEqual([expect.stringMatching(/^info neutral \S+: .* removed: it selected no workload .*, so removing it has no effect/) as string]);
  });

  it("a selector fixed to match takes effect as a policy added", () => {
    expect(notes(weak("ghost"), weak("web"))).toEqual(notes(undefined, weak("web")));
  });
});
