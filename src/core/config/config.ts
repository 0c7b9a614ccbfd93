import { parseYamlFile } from "../manifests/yaml-file.js";
import { compileSchema } from "../schema-check.js";
import type { Diagnostic } from "../types.js";
import { configSchema } from "./schema.js";

export const CONFIG_PATH = ".github/meshgate.yml";

export type Severity = "critical" | "high" | "medium" | "low";

export interface GatewayRef {
  name: string;
  hosts: string[];
}

export interface Waiver {
  rule: string;
  resource: { kind: string; namespace: string; name: string };
  /** The key at fault (as findings name it); absent: every key of the rule on the resource. */
  key?: string;
  /** The value at fault; absent: whatever value the waived finding had. */
  value?: string;
  justification: string;
  ticket: string;
  expires: string;
}

/** `.github/meshgate.yml` with every default filled in. */
export interface Config {
  manifests: { include: string[]; exclude: string[] };
  defaultNamespace: string;
  mesh: {
    trustDomain: string;
    clusterDomain: string;
    rootNamespace: string;
    mtls: "STRICT" | "PERMISSIVE" | "DISABLE";
    defaultDeny: boolean;
    ingress: { namespace: string; selector: Record<string, string> };
    gateways: GatewayRef[];
  };
  rules: {
    failOn: Severity;
    blockPreexisting: boolean;
    overrides: Record<string, { severity?: Severity; enabled?: boolean }>;
  };
  waivers: Waiver[];
  approvals: { codeOwners: boolean; dismissStale: boolean; minimum: number; securityTeam?: string };
}

export interface LoadedConfig {
  config: Config;
  /** Errors here mean the file is invalid: the check must fail, never fall back to defaults. */
  diagnostics: Diagnostic[];
}

const checkConfig = compileSchema(configSchema);

export function defaultConfig(): Config {
  const config = {};
  checkConfig(config);
  return config as Config;
}

/**
 * Reads `.github/meshgate.yml` (absent = defaults). Strict: unknown keys are errors that name
 * the allowed keys. An invalid file yields defaults *and* error diagnostics, so callers can go
 * on rendering while the verdict fails.
 */
export function loadConfig(text: string | undefined, file = CONFIG_PATH): LoadedConfig {
  if (text === undefined) return { config: defaultConfig(), diagnostics: [] };
  const parsed = parseYamlFile(file, text);
  const diagnostics = [...parsed.diagnostics];
  const documents = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
  if (documents.length > 1) {
    diagnostics.push({ file, line: documents[1]?.line ?? 1, severity: "error", message: "the config file must hold a single YAML document" });
  }
  const document = documents[0];
  if (!document || diagnostics.some((d) => d.severity === "error")) {
    return { config: defaultConfig(), diagnostics };
  }
  const value: unknown = structuredClone(document.value);
  const issues = checkConfig(value);
  for (const issue of issues) {
    diagnostics.push({ file, line: document.lineOf(issue.path), severity: "error", message: `invalid config: ${issue.message}` });
  }
  if (issues.length > 0) return { config: defaultConfig(), diagnostics };
  return { config: value as Config, diagnostics };
}
