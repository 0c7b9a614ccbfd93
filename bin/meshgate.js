#!/usr/bin/env node
import { main } from "../dist/cli/main.js";

try {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
} catch (error) {
  // A user's mistake is a diagnostic and never lands here; this is a bug in meshgate.
  process.stderr.write(`meshgate: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 3;
}
