import { describe, expect, it } from "vitest";
import { ROUTES } from "../../tools/github-stand-in/index.js";
import { restOperation } from "../../tools/github-stand-in/rest-description.js";
import { shopFixture } from "./support.js";

const shop = shopFixture();

/** A raw request, so that the body reaches the stand-in exactly as written. */
async function send(method: string, path: string, body: unknown): Promise<{ status: number; body: { message?: string; documentation_url?: string; status?: string } }> {
  const response = await fetch(`${shop.standIn.url}${path}`, {
    method,
    headers: { authorization: `token ${shop.standIn.issueToken()}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: response.status, body: (await response.json()) as { message?: string } };
}

async function head(): Promise<string> {
  return (await shop.standIn.git.resolveCommit("pr")) ?? "";
}

describe("request bodies are validated against GitHub's REST description", () => {
  it("serves only operations of GitHub's REST description (and GraphQL)", () => {
    const unknown = ROUTES.filter((r) => r.template !== "/graphql" && !restOperation(r.method, r.template)).map((r) => `${r.method} ${r.template}`);
    expect(unknown).toEqual([]);
  });

  it("answers 422 like GitHub for an invalid check run, naming each problem", async () => {
    const { status, body } = await send("POST", "/repos/acme/shop/check-runs", { name: "meshgate", status: "running", output: { title: 3 } });
    expect(status).toBe(422);
    expect(body).toEqual({
      message: [
        "Invalid request.",
        "",
        `"head_sha" wasn't supplied.`,
        `For 'properties/status', "running" is not a member of ["queued", "in_progress", "completed"].`,
        `"summary" wasn't supplied.`,
        "For 'properties/output/properties/title', 3 is not a string.",
      ].join("\n"),
      documentation_url: "https://docs.github.com/rest/checks/runs#create-a-check-run",
      status: "422",
    });
    expect(shop.standIn.checkRuns).toHaveLength(0);
    expect(shop.standIn.calls.map((c) => [c.route, c.status])).toEqual([["POST /repos/{owner}/{repo}/check-runs", 422]]);
  });

  it("refuses more than 50 annotations in one request and a summary over 65,535 characters", async () => {
    const annotation = { path: "apps/checkout.yaml", start_line: 1, end_line: 1, annotation_level: "warning", message: "m" };
    const tooMany = await send("POST", "/repos/acme/shop/check-runs", { name: "meshgate", head_sha: await head(), output: { title: "t", summary: "s", annotations: Array.from({ length: 51 }, () => annotation) } });
    expect([tooMany.status, tooMany.body.message]).toEqual([422, "Invalid request.\n\nFor 'properties/output/properties/annotations', the array has more than 50 items."]);
    const fifty = await send("POST", "/repos/acme/shop/check-runs", { name: "meshgate", head_sha: await head(), output: { title: "t", summary: "s", annotations: Array.from({ length: 50 }, () => annotation) } });
    expect(fifty.status).toBe(201);
    const long = await send("POST", "/repos/acme/shop/check-runs", { name: "meshgate", head_sha: await head(), output: { title: "t", summary: "x".repeat(65_536) } });
    expect([long.status, long.body.message]).toEqual([422, "Invalid request.\n\nFor 'properties/output/properties/summary', the string is longer than 65535 characters."]);
  });

  it("leaves a check run as it was when an update is refused", async () => {
    const created = await send("POST", "/repos/acme/shop/check-runs", { name: "meshgate", head_sha: await head(), status: "in_progress" });
    const id = (created.body as { id?: number }).id ?? 0;
    const refused = await send("PATCH", `/repos/acme/shop/check-runs/${id}`, { conclusion: "succeeded", output: { title: "t", summary: "s" } });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain(`For 'properties/conclusion', "succeeded" is not a member of`);
    expect(refused.body.documentation_url).toBe("https://docs.github.com/rest/checks/runs#update-a-check-run");
    expect(shop.standIn.checkRuns[0]).toMatchObject({ status: "in_progress", conclusion: null, requests: [{ status: "in_progress" }] });
  });

  it("validates comments and reactions too, and answers 400 to a body that is not JSON", async () => {
    const comment = await send("POST", `/repos/acme/shop/issues/${shop.pull}/comments`, { body: null });
    expect([comment.status, comment.body.message]).toEqual([422, "Invalid request.\n\nFor 'properties/body', nil is not a string."]);
    const missing = await send("POST", `/repos/acme/shop/issues/${shop.pull}/comments`, {});
    expect(missing.body.message).toBe(`Invalid request.\n\n"body" wasn't supplied.`);
    const target = shop.standIn.addComment({ issue: shop.pull, user: "sam", body: "/help" });
    const reaction = await send("POST", `/repos/acme/shop/issues/comments/${target.id}/reactions`, { content: "thumbsup" });
    expect(reaction.body.message).toBe(`Invalid request.\n\nFor 'properties/content', "thumbsup" is not a member of ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"].`);
    const garbage = await send("POST", `/repos/acme/shop/issues/${shop.pull}/comments`, "{not json");
    expect([garbage.status, garbage.body.message]).toEqual([400, "Problems parsing JSON"]);
    expect(shop.standIn.comments).toHaveLength(1);
  });

  it("refuses a body that is not an object", async () => {
    const { status, body } = await send("POST", `/repos/acme/shop/issues/${shop.pull}/comments`, ["hello"]);
    expect([status, body.message]).toEqual([422, `Invalid request.\n\nFor 'body', ["hello"] is not an object.`]);
  });
});
