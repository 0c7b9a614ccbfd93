import { describe, expect, it } from "vitest";
import { appWithComponents, errorsOf, ofKind, renderFiles, yamlOf } from "../support/render.js";

describe("webservice component", () => {
  it("renders a ServiceAccount, a protocol-named Service and a Deployment skeleton", () => {
    const result = renderFiles({
      "shop.yaml": appWithComponents(`- name: frontend
  type: webservice
  properties:
    image: ghcr.io/acme/frontend:1.4.2
    replicas: 3
    labels: { team: storefront }
    annotations: { prometheus.io/scrape: "true" }
    ports:
      - port: 8080
      - port: 9090
        appProtocol: grpc
      - port: 5432
        appProtocol: tcp
      - port: 53
        protocol: UDP`),
    });
    expect(result.diagnostics).toEqual([]);
    expect(yamlOf(result)).toMatchInlineSnapshot(`
      "apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: frontend
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        replicas: 3
        selector:
          matchLabels:
            app.oam.dev/name: shop
            app.oam.dev/component: frontend
        template:
          metadata:
            labels:
              team: storefront
              app.oam.dev/name: shop
              app.oam.dev/component: frontend
              app: frontend
            annotations:
              prometheus.io/scrape: "true"
          spec:
            serviceAccountName: frontend
            containers:
              - name: frontend
                image: ghcr.io/acme/frontend:1.4.2
                ports:
                  - containerPort: 8080
                    protocol: TCP
                  - containerPort: 9090
                    protocol: TCP
                  - containerPort: 5432
                    protocol: TCP
                  - containerPort: 53
                    protocol: UDP
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: frontend
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        selector:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
        ports:
          - name: http-8080
            port: 8080
            targetPort: 8080
            protocol: TCP
          - name: grpc-9090
            port: 9090
            targetPort: 9090
            protocol: TCP
          - name: tcp-5432
            port: 5432
            targetPort: 5432
            protocol: TCP
          - name: udp-53
            port: 53
            targetPort: 53
            protocol: UDP
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: frontend
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      "
    `);
  });

  it("accepts KubeVela's single `port` and properties meshgate does not read", () => {
    const result = renderFiles({
      "shop.yaml": appWithComponents(`- name: api
  type: webservice
  properties:
    image: ghcr.io/acme/api:2.0.0
    port: 9080
    cpu: "0.5"
    env: [{ name: FOO, value: bar }]`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(ofKind(result, "Service")[0]?.object.spec).toEqual({
      selector: { "app.oam.dev/name": "shop", "app.oam.dev/component": "api" },
      ports: [{ name: "http-9080", port: 9080, targetPort: 9080, protocol: "TCP" }],
    });
  });

  it("renders, for ports[].expose, KubeVela's Service C of the exposed ports only, of exposeType, and the container all of them", () => {
    const result = renderFiles({
      "shop.yaml": appWithComponents(`- name: api
  type: webservice
  properties:
    image: ghcr.io/acme/api:2.0.0
    exposeType: LoadBalancer
    ports:
      - { port: 8080, expose: true }
      - { port: 9090, name: metrics, expose: true }
      - { port: 5353, protocol: UDP }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(ofKind(result, "Service").map((r) => r.object.spec)).toEqual([{
      selector: { "app.oam.dev/component": "api" },
      ports: [{ name: "port-8080", port: 8080, targetPort: 8080 }, { name: "metrics", port: 9090, targetPort: 9090 }],
      type: "LoadBalancer",
    }]);
    const [deployment] = ofKind(result, "Deployment");
    expect((deployment?.object.spec as { template: { spec: { containers: { ports: unknown }[] } } }).template.spec.containers[0]?.ports).toEqual([
      { containerPort: 8080, protocol: "TCP" }, { containerPort: 9090, protocol: "TCP" }, { containerPort: 5353, protocol: "UDP" },
    ]);
  });

  it("renders no Service for a webservice without ports", () => {
    const result = renderFiles({ "shop.yaml": appWithComponents("- name: api\n  type: webservice\n  properties: { image: busybox }") });
    expect(result.resources.map((r) => r.object.kind)).toEqual(["Deployment", "ServiceAccount"]);
  });

  it("reports a missing image and a port of the wrong type at their lines", () => {
    const result = renderFiles({
      "shop.yaml": appWithComponents(`- name: api
  type: webservice
  properties:
    ports:
      - port: http`),
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [10, expect.stringContaining("missing required key `image`") as string],
      [12, expect.stringContaining("`ports.0.port` must be an integer (got string \"http\")") as string],
    ]);
    expect(result.resources).toEqual([]);
  });
});

describe("worker component", () => {
  it("renders a ServiceAccount and a Deployment, and no Service", () => {
    const result = renderFiles({ "jobs.yaml": appWithComponents("- name: mailer\n  type: worker\n  properties: { image: ghcr.io/acme/mailer:1.0.0 }") });
    expect(result.diagnostics).toEqual([]);
    expect(result.resources.map((r) => `${r.object.kind}/${r.object.metadata.name}`)).toEqual(["Deployment/mailer", "ServiceAccount/mailer"]);
    expect(ofKind(result, "Deployment")[0]?.object.spec).toEqual({
      selector: { matchLabels: { "app.oam.dev/name": "shop", "app.oam.dev/component": "mailer" } },
      template: {
        metadata: { labels: { "app.oam.dev/name": "shop", "app.oam.dev/component": "mailer", app: "mailer" } },
        spec: { serviceAccountName: "mailer", containers: [{ name: "mailer", image: "ghcr.io/acme/mailer:1.0.0" }] },
      },
    });
  });
});

describe("k8s-objects component", () => {
  it("passes objects through, in the Application's namespace, with the OAM labels, at their own lines", () => {
    const result = renderFiles({
      "raw.yaml": appWithComponents(`- name: legacy
  type: k8s-objects
  properties:
    objects:
      - apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: { name: partner-api }
        spec:
          hosts: [api.partner.example]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{ number: 443, name: tls-443, protocol: TLS }]
      - apiVersion: v1
        kind: ConfigMap
        metadata: { name: settings, namespace: other }
        data: { mode: fast }`),
    });
    expect(result.diagnostics).toEqual([]);
    const [configMap, serviceEntry] = result.resources;
    expect(configMap?.object).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "other", labels: { "app.oam.dev/name": "shop", "app.oam.dev/component": "legacy" } },
      data: { mode: "fast" },
    });
    expect(configMap?.source).toEqual({ file: "raw.yaml", line: 20, app: "shop", component: "legacy" });
    expect(serviceEntry?.object.metadata.namespace).toBe("shop");
    expect(serviceEntry?.source.line).toBe(12);
  });

  it("reports an object without kind, and still renders the others", () => {
    const result = renderFiles({
      "raw.yaml": appWithComponents(`- name: legacy
  type: k8s-objects
  properties:
    objects:
      - apiVersion: v1
        metadata: { name: nameless }
      - apiVersion: v1
        kind: ConfigMap
        metadata: { name: settings }`),
    });
    expect(errorsOf(result).map((d) => d.line)).toEqual([12]);
    expect(result.resources.map((r) => r.object.metadata.name)).toEqual(["settings"]);
  });
});

describe("unknown component types", () => {
  it("render no workload, with a notice, and their traits still render", () => {
    const result = renderFiles({
      "app.yaml": appWithComponents(`- name: model
  type: model-serving
  properties: { protocol: tensorflow }
  traits:
    - type: mtls`),
    });
    expect(result.diagnostics).toEqual([
      { file: "app.yaml", line: 9, severity: "notice", message: "shop/model: component type `model-serving` is not known to meshgate: no workload is rendered, its traits still are" },
    ]);
    expect(result.resources.map((r) => r.object.kind)).toEqual(["PeerAuthentication"]);
  });
});
