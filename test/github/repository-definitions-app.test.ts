import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckRunOutput } from "../../src/report/check-run.js";
import { CHECK_RUN_ID, pullRequestPayload, REPO_PATH, ShopWorld } from "./app-world.js";

const DEFINITION = readFileSync(join(import.meta.dirname, "..", "definitions", "fixtures", "public-route-tls-off", "head", "definitions", "public-route.yaml"), "utf8");

/** A new Application published through the repository's own public-route trait, with TLS off. */
const PROMO = `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: promo
  namespace: shop
spec:
  components:
    - name: promo
      type: webservice
      properties:
        image: ghcr.io/acme/promo:1.0.0
        ports:
          - port: 8080
      traits:
        - type: public-route
          properties:
            host: promo.shop.example.com
            tls: false
`;

interface CompletedCheck {
  conclusion: CheckRunOutput["conclusion"];
  output: Omit<CheckRunOutput, "conclusion">;
}

// The evaluation starts CUE: about a second alone, several on a loaded machine.
describe("the GitHub App reads the repository's definitions from the tree it gathers", { timeout: 30_000 }, () => {
  it("renders a trait of a TraitDefinition committed in the pull request, and fails it at the Application's line and the definition's", async () => {
    const world = new ShopWorld();
    const head = world.commit("promo", { "definitions/public-route.yaml": DEFINITION, "apps/promo.yaml": PROMO });
    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment();

    await world.receive("pull_request", pullRequestPayload("opened", { head }));
    world.repo.mock.done();

    const [check] = world.sent("PATCH", `${REPO_PATH}/check-runs/${CHECK_RUN_ID}`) as CompletedCheck[];
    expect(check?.conclusion).toBe("failure");
    const edge = (check?.output.annotations ?? []).filter((a) => a.title.startsWith("EDGE-001"));
    // At the trait's line of the Application, and at the definition that rendered the plaintext server.
    expect(edge.map((a) => `${a.path}:${a.start_line}`)).toEqual(["apps/promo.yaml:15", "definitions/public-route.yaml:3"]);
    expect(PROMO.split("\n")[14]).toContain("type: public-route");
    expect(edge[0]?.message).toContain("Gateway shop/promo-public");
    expect(edge[0]?.message).toContain("Rendered by the repository's public-route definition (definitions/public-route.yaml:3)");
    // The diff shows what the definition renders: the Gateway and the VirtualService it adds.
    expect(check?.output.summary).toContain("Gateway shop/promo-public");
    expect(check?.output.summary).toContain("VirtualService shop/promo-public");
  });
});
