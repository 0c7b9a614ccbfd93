import nock from "nock";
import { afterAll, afterEach } from "vitest";
import { collectMockProblems, recordUnmatchedRequests } from "./support/github.js";
import { removeTempTrees } from "./support/temp-tree.js";

// Tests never touch the network: a request no mock answers fails instead of leaving.
nock.disableNetConnect();
recordUnmatchedRequests();

// A mock left pending, a request nothing matched, or a body GitHub would refuse fails the test
// that caused it, even when the test forgot to call done().
afterEach(() => {
  const problems = collectMockProblems();
  if (problems.length > 0) throw new Error(`GitHub mocks:\n${problems.join("\n")}`);
});

// The temporary trees a test file made go with it.
afterAll(removeTempTrees);
