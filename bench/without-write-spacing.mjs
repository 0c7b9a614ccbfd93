// A diagnostic for bench/end-to-end.ts, never how meshgate runs: preloaded into the app's
// process (`node --import`), it lifts the limits of @octokit/plugin-throttling's "write" lane,
// which lets one non-GET request start per second (GraphQL queries included), so the benchmark
// can tell the app's own latency from the time its requests wait in that lane.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Bottleneck = require("bottleneck/light.js");
const Group = Bottleneck.Group;

Bottleneck.Group = class extends Group {
  constructor(options = {}) {
    super(options.id === "octokit-write" ? { ...options, minTime: 0, maxConcurrent: null } : options);
  }
};
