import { describe, expect, it } from "vitest";
import { analyzeYaml } from "./analyze-files.js";
import { renderFiles } from "../support/render.js";

const CODES = ["IST0102", "IST0123"];

function namespace(name: string, labels = "{}"): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: ${labels} }\n`;
}

function injectorConfigMap(name: string, values: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: istio-system }\ndata:\n  values: '${values}'\n`;
}

describe("namespace injection (injection.Analyzer)", () => {
  it("reports a namespace without injection labels, and none that is labelled in, out, by revision or for ambient", () => {
    const yaml = [
      namespace("bare"),
      namespace("empty", '{ istio-injection: "" }'),
      namespace("enabled", "{ istio-injection: enabled }"),
      namespace("disabled", "{ istio-injection: disabled }"),
      namespace("revision", "{ istio.io/rev: canary }"),
      namespace("ambient", "{ istio.io/dataplane-mode: ambient }"),
      namespace("kube-system"),
      namespace("istio-system"),
    ].join("---\n");
    expect(analyzeYaml(yaml, {}, CODES)).toEqual([
      "IST0102 Namespace /bare: The namespace is not enabled for Istio injection. Run 'kubectl label namespace bare istio-injection=enabled' to enable it, or 'kubectl label namespace bare istio-injection=disabled' to explicitly mark it as not needing injection.",
      "IST0102 Namespace /empty: The namespace is not enabled for Istio injection. Run 'kubectl label namespace empty istio-injection=enabled' to enable it, or 'kubectl label namespace empty istio-injection=disabled' to explicitly mark it as not needing injection.",
    ]);
  });

  it("does not report unlabelled namespaces when the default injector injects them by default", () => {
    const on = injectorConfigMap("istio-sidecar-injector", '{"sidecarInjectorWebhook":{"enableNamespacesByDefault":true}}');
    expect(analyzeYaml(`${namespace("bare")}---\n${on}`, {}, CODES)).toEqual([]);
  });

  it("still reports them when the setting is off, unreadable, or only in a revision's injector", () => {
    const cases = [
      injectorConfigMap("istio-sidecar-injector", '{"sidecarInjectorWebhook":{"enableNamespacesByDefault":false}}'),
      injectorConfigMap("istio-sidecar-injector", "not json"),
      injectorConfigMap("istio-sidecar-injector-canary", '{"sidecarInjectorWebhook":{"enableNamespacesByDefault":true}}'),
    ];
    for (const configMap of cases) {
      expect(analyzeYaml(`${namespace("bare")}---\n${configMap}`, {}, CODES).map((m) => m.split(":")[0])).toEqual(["IST0102 Namespace /bare"]);
    }
  });
});

describe("ConfigMaps", () => {
  it("are read only when they are a sidecar injector's, so other ConfigMaps stay outside the gate", () => {
    const result = renderFiles({
      "k8s.yaml": `${injectorConfigMap("istio-sidecar-injector", "{}")}---\n${injectorConfigMap("istio-sidecar-injector-canary", "{}")}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: shop }\ndata: { level: info }\n`,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.resources.map((r) => r.object.metadata.name)).toEqual(["istio-sidecar-injector", "istio-sidecar-injector-canary"]);
  });
});
