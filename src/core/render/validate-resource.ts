import type { ErrorObject } from "ajv";
import type { Model } from "@kubernetes-models/base";
import * as networkingV1 from "@kubernetes-models/istio/networking.istio.io/v1";
import * as networkingV1alpha3 from "@kubernetes-models/istio/networking.istio.io/v1alpha3";
import * as networkingV1beta1 from "@kubernetes-models/istio/networking.istio.io/v1beta1";
import * as securityV1 from "@kubernetes-models/istio/security.istio.io/v1";
import * as securityV1beta1 from "@kubernetes-models/istio/security.istio.io/v1beta1";
import * as telemetryV1 from "@kubernetes-models/istio/telemetry.istio.io/v1";
import * as telemetryV1alpha1 from "@kubernetes-models/istio/telemetry.istio.io/v1alpha1";
import * as extensionsV1alpha1 from "@kubernetes-models/istio/extensions.istio.io/v1alpha1";
import * as gatewayV1 from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1";
import * as gatewayV1alpha2 from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2";
import * as gatewayV1alpha3 from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha3";
import * as gatewayV1beta1 from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1";
import * as gatewayXV1alpha1 from "@kubernetes-models/gateway-api/gateway.networking.x-k8s.io/v1alpha1";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ReplicaSet } from "kubernetes-models/apps/v1/ReplicaSet";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { EndpointSlice } from "kubernetes-models/discovery.k8s.io/v1/EndpointSlice";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { IngressClass } from "kubernetes-models/networking.k8s.io/v1/IngressClass";
import { Endpoints } from "kubernetes-models/v1/Endpoints";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Pod } from "kubernetes-models/v1/Pod";
import { ReplicationController } from "kubernetes-models/v1/ReplicationController";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { explainErrors, type SchemaIssue } from "../schema-check.js";
import type { KubeObject } from "../types.js";

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: never): Model<unknown>;
}

const MODELS = new Map<string, ModelClass>();
const MODULES = [networkingV1, networkingV1alpha3, networkingV1beta1, securityV1, securityV1beta1, telemetryV1, telemetryV1alpha1, extensionsV1alpha1, gatewayV1, gatewayV1alpha2, gatewayV1alpha3, gatewayV1beta1, gatewayXV1alpha1];
for (const module of MODULES) {
  for (const value of Object.values(module)) {
    if (typeof value !== "function") continue;
    const model = value as unknown as Partial<ModelClass>;
    if (typeof model.apiVersion === "string" && typeof model.kind === "string") {
      MODELS.set(`${model.apiVersion}/${model.kind}`, model as ModelClass);
    }
  }
}
// Endpoints is deprecated in favour of EndpointSlice, and still served: it is validated as the cluster would.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const KUBERNETES = [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Pod, Job, CronJob, Service, ServiceAccount, Namespace, Endpoints, EndpointSlice, Ingress, IngressClass];
for (const model of KUBERNETES as unknown as ModelClass[]) {
  MODELS.set(`${model.apiVersion}/${model.kind}`, model);
}

export type ResourceCheck =
  | { status: "valid" }
  | { status: "invalid"; issues: SchemaIssue[] }
  /** No schema is known for this apiVersion and kind. */
  | { status: "unknown" };

/**
 * Validates an object with the @kubernetes-models validators (the CRD's OpenAPI schema). They
 * accept unknown fields and skip the CRDs' CEL rules, so a "valid" here is necessary, not
 * sufficient: the renderers' tests pin their output field by field.
 */
export function validateResource(object: KubeObject): ResourceCheck {
  const model = MODELS.get(`${object.apiVersion}/${object.kind}`);
  if (!model) return { status: "unknown" };
  try {
    new model(object as never).validate();
    return { status: "valid" };
  } catch (error) {
    const errors = (error as { errors?: ErrorObject[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return { status: "invalid", issues: explainErrors(errors, object) };
  }
}
