import { describe, expect, it } from "vitest";
import { readManifestFile } from "../../src/core/manifests/read-manifests.js";
import { runCli } from "../support/cli.js";
import { tempTree } from "../support/temp-tree.js";
import { renderFiles } from "../support/render.js";

const NOW = ["--now", "2026-11-28T12:00:00Z"];

// A chart's template as `helm create` writes them: not YAML until Helm has filled it in.
const DEPLOYMENT_TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: shop
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`;

const VIRTUAL_SERVICE_TEMPLATE = `{{- if .Values.mesh.enabled }}
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {{ .Release.Name }}
spec:
  hosts: [{{ .Values.host | quote }}]
  http:
    {{- toYaml .Values.routes | nindent 4 }}
{{- end }}
`;

const CHART = {
  "charts/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
  "charts/shop/values.yaml": "replicaCount: 2\nimage: { repository: shop, tag: '1.0' }\nmesh: { enabled: true }\nhost: shop.example.com\nroutes: []\n",
  "charts/shop/templates/deployment.yaml": DEPLOYMENT_TEMPLATE,
  "charts/shop/templates/virtual-service.yaml": VIRTUAL_SERVICE_TEMPLATE,
};

const read = (file: string, text: string): ReturnType<typeof readManifestFile> => readManifestFile({ file, text, defaultNamespace: "default" });

describe("a template file (`{{ … }}`)", () => {
  it("is one notice at its first template expression, and its YAML syntax errors are not errors", () => {
    const set = read("charts/shop/templates/deployment.yaml", DEPLOYMENT_TEMPLATE);
    expect(set.diagnostics).toEqual([{ file: "charts/shop/templates/deployment.yaml", line: 4, severity: "notice", message: expect.stringContaining("a template ({{ … }} at line 4)") as string }]);
    expect(set.unread).toEqual([]);
    expect(set.raw).toEqual([]);
  });

  it("that shows a mesh kind says meshgate cannot see what it renders to, and is not SCOPE-001", () => {
    const set = read("t.yaml", VIRTUAL_SERVICE_TEMPLATE);
    expect(set.diagnostics.map((d) => `${d.line} ${d.severity}`)).toEqual(["1 notice"]);
    expect(set.diagnostics[0]?.message).toContain("It shows VirtualService at line 2: meshgate cannot see what that renders to");
    expect(set.unread).toEqual([]);
  });

  it("reads an unquoted {{ … }} that YAML parses (a mapping keyed by a mapping) as template text, not as an object", () => {
    const text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  ports:\n    - port: {{ .Values.port }}\n";
    const set = read("svc.yaml", text);
    expect(set.raw).toEqual([]);
    expect(set.diagnostics.map((d) => `${d.line} ${d.severity}`)).toEqual(["4 notice"]);
    expect(set.diagnostics[0]?.message).toContain("It shows Service at line 1");
  });

  it("still reads the documents that parse, as kubectl would: a template expression in a comment hides nothing", () => {
    const policy = "# {{ .Values.note }}\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-all\n  namespace: shop\nspec:\n  rules:\n    - {}\n";
    const set = read("policy.yaml", `${policy}---\nkind: [broken {{ .Values.x }}\n`);
    expect(set.raw.map((r) => `${r.object.kind} ${r.object.metadata.name}`)).toEqual(["AuthorizationPolicy allow-all"]);
    expect(set.diagnostics.filter((d) => d.severity !== "notice")).toEqual([]);
  });

  it("keeps errors that are not YAML syntax: binary text is still an error", () => {
    const set = read("bin.yaml", "kind: {{ x }}\u0000\u0001");
    expect(set.diagnostics.map((d) => d.severity)).toEqual(["error"]);
  });

  it("in a render, leaves the repository's other manifests as they are", () => {
    const result = renderFiles({ ...CHART, "mesh/vs.yaml": "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: cart, namespace: shop }\nspec:\n  hosts: [cart]\n" });
    expect(result.resources.map((r) => `${r.object.kind} ${r.object.metadata.name}`)).toEqual(["VirtualService cart"]);
    expect(result.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity}`)).toEqual(["charts/shop/templates/deployment.yaml:4 notice", "charts/shop/templates/virtual-service.yaml:1 notice"]);
  });
});

describe("a file that is not YAML and not a template", () => {
  it("stays an error, and its mesh documents SCOPE-001", () => {
    const set = read("broken.yaml", "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: cart\nspec: {}\n");
    expect(set.diagnostics.map((d) => d.severity)).toContain("error");
    expect(set.diagnostics.map((d) => d.severity)).not.toContain("notice");
    expect(set.unread.map((u) => `${u.kind} ${u.line} ${u.reason}`)).toEqual(["VirtualService 1 unparsable"]);
  });

  it("refuses a mapping used as a key with an error at its line", () => {
    const set = read("key.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: { { a: b }: c }\n");
    expect(set.diagnostics.map((d) => `${d.line} ${d.severity}`)).toEqual(["5 error"]);
    expect(set.unread.map((u) => u.kind)).toEqual(["Service"]);
  });
});

interface CheckJson {
  conclusion: string;
  findings: { rule: string; file: string; blocking: boolean }[];
  diagnostics: { file: string; line: number; severity: string; message: string; side: string }[];
}

describe("meshgate check with a Helm chart under the default globs", () => {
  it("passes, and the report shows the template notice", async () => {
    const base = tempTree({ "README.md": "shop\n" });
    const head = tempTree(CHART);
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json", ...NOW]);
    const output = JSON.parse(run.stdout) as CheckJson;
    expect(output.conclusion).toBe("success");
    expect(run.code).toBe(0);
    expect(output.findings.map((f) => f.rule)).not.toContain("SCOPE-001");
    expect(output.diagnostics.filter((d) => d.side === "head").map((d) => `${d.file}:${d.line} ${d.severity}`)).toEqual([
      "charts/shop/templates/deployment.yaml:4 notice",
      "charts/shop/templates/virtual-service.yaml:1 notice",
    ]);
    expect(output.diagnostics.find((d) => d.side === "head" && d.file.endsWith("virtual-service.yaml"))?.message).toContain("It shows VirtualService at line 2");
    expect(run.stderr).toContain("charts/shop/templates/virtual-service.yaml:1: notice: a template");
  });

  it("fails on a non-template file that is not valid YAML and holds a mesh kind (SCOPE-001)", async () => {
    const base = tempTree({ "README.md": "shop\n" });
    const head = tempTree({ ...CHART, "mesh/vs.yaml": "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: cart\n" });
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json", ...NOW]);
    const output = JSON.parse(run.stdout) as CheckJson;
    expect(run.code).toBe(1);
    expect(output.findings.filter((f) => f.rule === "SCOPE-001").map((f) => f.file)).toEqual(["mesh/vs.yaml"]);
    expect(output.diagnostics.filter((d) => d.severity === "error").map((d) => d.file)).toEqual(["mesh/vs.yaml"]);
  });
});
