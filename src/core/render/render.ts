import type { Config } from "../config/config.js";
import { isMeshGroup, kindInfo, splitApiVersion, type KindInfo } from "../kinds.js";
import { isObject, readManifestFile, type ApplicationManifest, type ComponentSpec, type RawManifest } from "../manifests/read-manifests.js";
import type { NodePath } from "../manifests/yaml-file.js";
import { compileSchema, type SchemaCheck, type SchemaIssue } from "../schema-check.js";
import type { DefinitionEvaluations } from "../definitions/definition-evaluations.js";
import type { DefinitionManifest } from "../definitions/read-definition.js";
import { applyPatch, evaluateDefinition, type DefinitionContext, type DefinitionResult } from "../definitions/render-definition.js";
import type { DefinitionRef, Diagnostic, DiagnosticSeverity, JsonValue, KubeObject, RenderResult, Resource, SourceRef, UnevaluatedTrait, UnreadDocument } from "../types.js";
import type { ComponentDefinition } from "./component.js";
import { applyCanarySteps } from "./canary-steps.js";
import { assembleComponentMesh, type ComponentMesh } from "./component-mesh.js";
import { COMPONENTS } from "./components/index.js";
import { identityOf, scopeLabel, sortResources } from "./identity.js";
import type { ComponentInfo, RenderConfig, TraitDefinition, TraitRef } from "./trait.js";
import { TRAITS } from "./traits/index.js";
import { validateStrict } from "../strict/validate-strict.js";
import { GATEWAY_API_CHECKS } from "../strict/gateway-api-checks.js";
import { gatewayApiUnknownFields } from "../strict/validate-gateway-api.js";
import { validateResource } from "./validate-resource.js";

const LABEL_APP = "app.oam.dev/name";
const LABEL_COMPONENT = "app.oam.dev/component";

const schemaChecks = new Map<object, SchemaCheck>();
function checkerFor(schema: object): SchemaCheck {
  let check = schemaChecks.get(schema);
  if (!check) {
    check = compileSchema(schema);
    schemaChecks.set(schema, check);
  }
  return check;
}

export interface Rendered {
  resource: Resource;
  /** Where validation problems of this resource are reported: the document node, or the trait. */
  lineOf(path: NodePath): number;
  file: string;
}

/** What a file's output depends on besides its path and text. */
export type FileRenderConfig = RenderConfig & Pick<Config, "defaultNamespace">;

/** A resource one file renders, validated on its own; whether another file renders it too is for combineFileRenders. */
export interface FileResource {
  resource: Resource;
  identity: string;
  /** What Istio's and Kubernetes' schemas find wrong with it. */
  issues: Diagnostic[];
  /** What of its validation could not be done: a render says each once, for all its uses. */
  unchecked: UncheckedUse[];
}

/** A check meshgate could not make of one resource (a CRD rule it cannot evaluate, a kind without a strict schema). */
export interface UncheckedUse {
  /** What is not checked, the same for every use. */
  key: string;
  message: string;
  file: string;
  line: number;
}

/** A mesh-ingress host a component exposes: the first claim in file order keeps it. */
export interface IngressClaim {
  host: string;
  by: TraitRef;
  /** `app/component`. */
  component: string;
  /** Claims of different environments never conflict: they are different clusters or namespaces. */
  environment?: string;
}

/** A use of a trait known to have no mesh effect: a render says so once, for all of them. */
export interface InertTraitUse {
  type: string;
  file: string;
  line: number;
}

/**
 * One manifest file, read and rendered on its own. renderSnapshot combines the files of a
 * revision; a RenderMemo keeps them, so a file unchanged between two revisions is read once.
 */
export interface FileRender {
  /** YAML and Application schema problems. */
  read: Diagnostic[];
  /** Problems of its components and traits, in the order they were found. */
  render: Diagnostic[];
  /** What its Applications render, in order. */
  rendered: FileResource[];
  /** Its raw documents of the registry's kinds. */
  raw: FileResource[];
  ingressClaims: IngressClaim[];
  /** Mesh documents in its text that could not be parsed. */
  unread: UnreadDocument[];
  inertTraits: InertTraitUse[];
  /** Traits of a type nothing renders. */
  unevaluated: UnevaluatedTrait[];
  /**
   * The types whose repository definitions it looked up (`component:<type>`, `trait:<type>`),
   * sorted, whether one was found or not: its render depends on their definitions and on no other.
   */
  definitionTypes: string[];
}

/**
 * Reads and renders one manifest file. Pure and deterministic; a broken Application, component
 * or trait is reported and skipped, and everything else still renders.
 */
export function renderManifestFile(params: { file: string; text: string; config: FileRenderConfig; definitions?: RepositoryDefinitions }): FileRender {
  const { config, definitions } = params;
  const manifests = readManifestFile({ file: params.file, text: params.text, defaultNamespace: config.defaultNamespace });
  const diagnostics: Diagnostic[] = [];
  const rendered: Rendered[] = [];
  const ingressClaims: IngressClaim[] = [];
  const unevaluated: UnevaluatedTrait[] = [];
  const inertTraits: InertTraitUse[] = [];
  const definitionTypes = new Set<string>();
  for (const app of manifests.applications) {
    // An Application with topology/override policies renders once per environment (deploy step).
    const environments = app.plan.environments ?? [{ name: "", namespace: app.namespace, components: app.components }];
    for (const env of environments) {
      const environment = env.name !== "" ? env.name : undefined;
      const first = rendered.length;
      for (const component of env.components) {
        renderComponent({ app, component, environment, namespace: env.namespace, config, definitions, definitionTypes, rendered, diagnostics, ingressClaims, inertTraits, unevaluated });
      }
      const firstComponent = env.components[0];
      if (app.plan.canarySteps.length > 0 && firstComponent) {
        const appRendered = rendered.splice(first);
        rendered.push(...applyCanarySteps({ app, component: firstComponent.name, steps: app.plan.canarySteps, rendered: appRendered, diagnostics }));
      }
    }
  }
  return {
    read: manifests.diagnostics,
    render: diagnostics,
    rendered: rendered.map((entry) => checkResource(entry, false)),
    raw: manifests.raw.map((raw) => checkResource(fromRaw(raw), true)),
    ingressClaims,
    unread: manifests.unread,
    inertTraits,
    unevaluated,
    definitionTypes: [...definitionTypes].sort(),
  };
}

/**
 * The render of a revision from its files' renders, in file order: what only the files
 * together can tell (two sources of one resource, two ingresses claiming one host) is decided
 * here. Resources from Applications come before raw documents, so an Application keeps an
 * identity that a raw document repeats.
 */
export function combineFileRenders(files: readonly FileRender[]): RenderResult {
  const diagnostics: Diagnostic[] = files.flatMap((f) => f.read);
  const claims = new Map<string, IngressClaim>();
  for (const file of files) {
    diagnostics.push(...file.render);
    for (const claim of file.ingressClaims) {
      const key = `${claim.environment ?? ""}|${claim.host}`;
      const claimed = claims.get(key);
      if (!claimed) {
        claims.set(key, claim);
        continue;
      }
      diagnostics.push({
        file: claim.by.file,
        line: claim.by.line,
        severity: "error",
        message: `${claim.component}: mesh-ingress host ${claim.host} is already exposed by ${claimed.component} (${claimed.by.file}:${claimed.by.line}): two gateways claiming one host conflict in Istio`,
      });
    }
  }
  const inert = files.flatMap((f) => f.inertTraits);
  const firstUse = inert[0];
  if (firstUse) {
    const types = [...new Set(inert.map((t) => t.type))].sort();
    diagnostics.push({ file: firstUse.file, line: firstUse.line, severity: "notice", message: `traits known to have no mesh effect, not rendered: ${types.join(", ")} (${inert.length} use${inert.length === 1 ? "" : "s"})` });
  }
  const unchecked = new Map<string, { first: UncheckedUse; uses: number }>();
  for (const use of files.flatMap((f) => [...f.rendered, ...f.raw]).flatMap((r) => r.unchecked)) {
    const seen = unchecked.get(use.key);
    if (seen) seen.uses++;
    else unchecked.set(use.key, { first: use, uses: 1 });
  }
  for (const { first, uses } of unchecked.values()) {
    diagnostics.push({ file: first.file, line: first.line, severity: "notice", message: `${first.message}${uses > 1 ? ` (${uses} uses)` : ""}` });
  }
  const byIdentity = new Map<string, Resource>();
  const resources: Resource[] = [];
  for (const entry of [...files.flatMap((f) => f.rendered), ...files.flatMap((f) => f.raw)]) {
    const { object, source } = entry.resource;
    const existing = byIdentity.get(entry.identity);
    if (existing) {
      const what = `${object.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name}${scopeLabel(entry.resource)}`;
      diagnostics.push({ file: source.file, line: source.line, severity: "error", message: `${what} is also rendered by ${describeSource(existing.source)}: two sources for one resource conflict; rename one` });
      continue;
    }
    byIdentity.set(entry.identity, entry.resource);
    diagnostics.push(...entry.issues);
    // Invalid documents stay in the set: rules must still see what they would have done.
    resources.push(entry.resource);
  }
  const unread = files.flatMap((f) => f.unread);
  const unevaluated = files.flatMap((f) => f.unevaluated);
  return { resources: sortResources(resources), diagnostics: sortDiagnostics(diagnostics), ...(unread.length > 0 ? { unread } : {}), ...(unevaluated.length > 0 ? { unevaluated } : {}) };
}

function fromRaw(raw: RawManifest): Rendered {
  const { document } = raw;
  return {
    resource: { object: raw.object, source: { file: document.file, line: document.line } },
    lineOf: (path) => document.lineOf(path),
    file: document.file,
  };
}

/** An object of a component as rendered so far, by the name KubeVela's `context.outputs` gives it. */
interface Emitted {
  name: string;
  object: KubeObject;
  source: SourceRef;
  lineOf: (path: NodePath) => number;
  sources?: Resource["sources"];
}

/** The repository's definitions, by type name, and the evaluations they are rendered through. */
export interface RepositoryDefinitions {
  traits: ReadonlyMap<string, DefinitionManifest>;
  components: ReadonlyMap<string, DefinitionManifest>;
  evaluations: DefinitionEvaluations;
}

function renderComponent(params: {
  app: ApplicationManifest;
  component: ComponentSpec;
  /** The deploy step it renders for, when the Application has several. */
  environment: string | undefined;
  namespace: string;
  config: RenderConfig;
  definitions: RepositoryDefinitions | undefined;
  /** Where the types whose definitions it looks up are recorded. */
  definitionTypes: Set<string>;
  rendered: Rendered[];
  diagnostics: Diagnostic[];
  ingressClaims: IngressClaim[];
  inertTraits: InertTraitUse[];
  unevaluated: UnevaluatedTrait[];
}): void {
  const { app, component, environment, namespace, config, definitions, rendered, diagnostics, ingressClaims, inertTraits } = params;
  const { document } = app;
  const file = document.file;
  const at = (path: NodePath): number => document.lineOf(path);
  const report = (severity: DiagnosticSeverity, message: string, line: number): void => {
    diagnostics.push({ file, line, severity, message: `${app.name}/${component.name}${environment !== undefined ? ` (${environment})` : ""}: ${message}` });
  };
  const selector = { [LABEL_APP]: app.name, [LABEL_COMPONENT]: component.name };
  const labels = { [LABEL_APP]: app.name, [LABEL_COMPONENT]: component.name };
  const base: Omit<ComponentInfo, "ports"> = {
    app: app.name,
    name: component.name,
    namespace,
    type: component.type,
    host: `${component.name}.${namespace}.svc.${config.mesh.clusterDomain}`,
    selector,
  };
  // Everything is collected first and rendered at the end: a component whose definition fails renders nothing, never half.
  const emitted: Emitted[] = [];
  let workload: Emitted | undefined;
  const add = (entry: Omit<Emitted, "name"> & { name?: string }): Emitted => {
    let name = entry.name ?? entry.object.kind.toLowerCase();
    for (let i = 1; entry.name === undefined && emitted.some((e) => e.name === name); i++) name = `${entry.object.kind.toLowerCase()}-${i}`;
    const added = { ...entry, name };
    emitted.push(added);
    return added;
  };
  /** A definition that does not evaluate: the error at its line, and the component failing closed at the Application's. */
  const failClosed = (outcome: { message: string; file: string; line: number }, what: string, line: number): void => {
    diagnostics.push({ file: outcome.file, line: outcome.line, severity: "error", message: outcome.message });
    report("error", `${what}'s definition (${outcome.file}:${outcome.line}) cannot be evaluated: nothing of this component is rendered, and it fails closed`, line);
  };
  const kubeContext = (): DefinitionContext => ({
    name: component.name,
    namespace,
    appName: app.name,
    ...(workload ? { output: workload.object } : {}),
    outputs: Object.fromEntries(emitted.filter((e) => e !== workload).map((e) => [e.name, e.object])),
  });
  const definitionRef = (d: DefinitionManifest): DefinitionRef => ({ name: d.name, file: d.file, line: d.line });

  // 1. The workload: the repository's definition of the type, else meshgate's own renderer.
  let ports: ComponentInfo["ports"];
  let standInService: boolean | undefined;
  const typeLine = at([...component.path, "type"]);
  params.definitionTypes.add(`component:${component.type}`);
  const componentDefinition = definitions?.components.get(component.type);
  const definition: ComponentDefinition | undefined = COMPONENTS.get(component.type);
  if (componentDefinition && definitions) {
    const outcome = evaluateDefinition({ definition: componentDefinition, properties: component.properties, context: kubeContext(), evaluations: definitions.evaluations });
    if (!outcome.ok) {
      failClosed(outcome, `component type \`${component.type}\``, typeLine);
      return;
    }
    const source: SourceRef = { file, line: typeLine, app: app.name, component: component.name, definition: definitionRef(componentDefinition) };
    const { output, outputs } = outcome.result;
    if (output) workload = add({ name: "", object: output, source, lineOf: () => typeLine });
    for (const [name, object] of outputs) add({ name, object, source, lineOf: () => typeLine });
    ports = portsOf(emitted, workload);
    // KubeVela applies a trait's Service C as well as the component's, rejecting neither; the
    // trait's outputs are applied after the component's, so its Service is the one that holds,
    // as for meshgate's own components (meshgate's definitions render its stand-in in CUE).
    standInService = true;
  } else if (!definition) {
    report("notice", `component type \`${component.type}\` is not known to meshgate: no workload is rendered, its traits still are`, typeLine);
  } else {
    const props = structuredClone(component.properties);
    const issues = definition.schema ? checkerFor(definition.schema)(props) : [];
    for (const issue of issues) report("error", `invalid ${component.type} properties: ${issue.message}`, at([...component.path, "properties", ...issue.path]));
    if (issues.length > 0) return;
    ({ ports, standInService } = definition.render({
      props,
      component: base,
      emit: (object, path = []) => {
        const line = at([...component.path, "properties", ...path]);
        const entry = add({ object, source: { file, line, app: app.name, component: component.name }, lineOf: (p) => (path.length > 0 ? at([...component.path, "properties", ...path, ...p]) : line) });
        if (!workload && kindInfo(object)?.podTemplate !== undefined) workload = entry;
      },
      report: (severity, message, path = []) => {
        report(severity, message, at(path.length > 0 ? [...component.path, "properties", ...path] : component.path));
      },
    }));
  }
  const info: ComponentInfo = { ...base, ...(ports ? { ports } : {}) };
  // The workload's own Service C, unless the component declares KubeVela's `ports[].expose`;
  // a ComponentDefinition's Service C, whatever it declares.
  const implicitService = standInService ? emitted.find((e) => e.object.kind === "Service" && e.object.metadata.name === component.name && e.source.trait === undefined) : undefined;

  // 2. The traits, each on its own or into the component's shared routing resources. A
  // repository definition of a type renders it rather than meshgate's own renderer.
  const mesh: ComponentMesh = {};
  const seenTypes = new Map<string, number>();
  for (const trait of component.traits) {
    const line = at(trait.path);
    const ref: TraitRef = { type: trait.type, file, line };
    params.definitionTypes.add(`trait:${trait.type}`);
    const repositoryTrait = definitions?.traits.get(trait.type);
    const traitDefinition: TraitDefinition | undefined = TRAITS.get(trait.type);
    if (!repositoryTrait && !traitDefinition) {
      report("notice", `trait \`${trait.type}\` has no mesh effect known to meshgate: skipped`, line);
      params.unevaluated.push({ type: trait.type, file, line, app: app.name, namespace: app.namespace, component: component.name });
      continue;
    }
    if (!repositoryTrait && traitDefinition?.inert) {
      const effect = traitDefinition.inert.unless?.(trait.properties);
      if (effect !== undefined) report("error", `trait \`${trait.type}\`: ${effect}, which meshgate does not apply to the rendered workload, so what it does to the mesh cannot be judged`, line);
      else inertTraits.push({ type: trait.type, file, line });
      continue;
    }
    const earlier = seenTypes.get(trait.type);
    if (earlier !== undefined) {
      report("error", `trait \`${trait.type}\` is given twice (lines ${earlier} and ${line}): merge them into one`, line);
      continue;
    }
    seenTypes.set(trait.type, line);
    if (repositoryTrait && definitions) {
      const outcome = evaluateDefinition({ definition: repositoryTrait, properties: trait.properties, context: kubeContext(), evaluations: definitions.evaluations });
      if (!outcome.ok) {
        failClosed(outcome, `trait \`${trait.type}\``, line);
        return;
      }
      const applied = applyTraitResult({ result: outcome.result, definition: repositoryTrait, trait: ref, emitted, workload, add, source: { file, line, app: app.name, component: component.name, trait: trait.type, definition: definitionRef(repositoryTrait) } });
      if (applied !== undefined) {
        failClosed({ message: applied, file: repositoryTrait.file, line: repositoryTrait.templateLine }, `trait \`${trait.type}\``, line);
        return;
      }
      continue;
    }
    if (!traitDefinition) continue;
    const props = structuredClone(trait.properties);
    const issues = checkerFor(traitDefinition.schema)(props);
    for (const issue of issues) report("error", `invalid \`${trait.type}\` properties: ${issue.message}`, at([...trait.path, "properties", ...issue.path]));
    if (issues.length > 0) continue;
    const source: SourceRef = { file, line, app: app.name, component: component.name, trait: trait.type };
    traitDefinition.render({
      props,
      component: info,
      config,
      trait: ref,
      mesh,
      emit: (object) => {
        add({ object, source, lineOf: () => line });
      },
      report: (severity, message, path = []) => {
        // Without a property path, at the trait itself: where its resources' provenance points.
        report(severity, `${trait.type}: ${message}`, path.length > 0 ? at([...trait.path, "properties", ...path]) : line);
      },
    });
  }

  // A trait's Service C (expose, gateway, canary-traffic) is the one KubeVela applies: it replaces the workload's own.
  if (implicitService && emitted.some((e) => e !== implicitService && e.object.kind === "Service" && e.object.metadata.name === component.name)) {
    emitted.splice(emitted.indexOf(implicitService), 1);
  }

  // 3. The shared resources, now that every trait has had its say.
  for (const assembled of assembleComponentMesh(info, mesh)) {
    const first = assembled.sources[0];
    if (!first) continue;
    const source: SourceRef = { file, line: first.line, app: app.name, component: component.name, trait: first.trait };
    const sources = assembled.sources.map(({ file: f, line: l, trait: t, paths }) => ({ file: f, line: l, trait: t, paths }));
    add({ object: assembled.object, source, lineOf: () => first.line, sources });
  }

  for (const entry of emitted) {
    entry.object.metadata.labels = { ...entry.object.metadata.labels, ...labels };
    rendered.push({ resource: { object: entry.object, source: entry.source, ...(entry.sources ? { sources: entry.sources } : {}), ...(environment !== undefined ? { environment } : {}) }, lineOf: entry.lineOf, file });
  }

  // 4. A host can be claimed by one ingress only: Istio would pick one of two gateways at random.
  const ingress = mesh.ingress;
  if (ingress) {
    for (const host of ingress.value.hosts) ingressClaims.push({ host, by: ingress.by, component: `${app.name}/${component.name}`, ...(environment !== undefined ? { environment } : {}) });
  }
}

/**
 * A repository trait's result applied to the component: `patch` merged into the workload,
 * `outputs` added, `patchOutputs` merged into outputs rendered before it. Returns what
 * KubeVela would refuse, if anything.
 */
function applyTraitResult(params: {
  result: DefinitionResult;
  definition: DefinitionManifest;
  trait: TraitRef;
  emitted: Emitted[];
  workload: Emitted | undefined;
  add: (entry: Omit<Emitted, "name"> & { name?: string }) => Emitted;
  source: SourceRef;
}): string | undefined {
  const { result, definition, trait, emitted, workload, add, source } = params;
  const contribute = (entry: Emitted, paths: string[]): void => {
    const own = entry.sources ?? [{ file: entry.source.file, line: entry.source.line, trait: entry.source.trait ?? entry.source.component ?? "", paths: [] }];
    entry.sources = [...own, { file: trait.file, line: trait.line, trait: trait.type, paths, definition: { name: definition.name, file: definition.file, line: definition.line } }];
  };
  if (result.patch) {
    if (!workload) return `TraitDefinition ${definition.name} patches the workload, and the component renders none`;
    workload.object = applyPatch(workload.object, result.patch) as unknown as KubeObject;
    contribute(workload, pointersOf(result.patch, ""));
  }
  for (const [name, object] of result.outputs) {
    if (emitted.some((e) => e.name === name)) return `TraitDefinition ${definition.name}: output \`${name}\` is already rendered for this component: use patchOutputs to change it`;
    add({ name, object, source, lineOf: () => trait.line });
  }
  for (const [name, patch] of result.patchOutputs) {
    const target = emitted.find((e) => e !== workload && e.name === name);
    if (!target) return `TraitDefinition ${definition.name}: patchOutputs.${name} patches an output this component has not rendered`;
    target.object = applyPatch(target.object, patch, true) as unknown as KubeObject;
    contribute(target, pointersOf(patch, ""));
  }
  return undefined;
}

/** JSON pointers of a patch's leaves (lists count as leaves): what it wrote. */
function pointersOf(patch: JsonValue | undefined, prefix: string): string[] {
  if (!isObject(patch)) return [prefix];
  return Object.entries(patch).flatMap(([key, value]) => pointersOf(value, `${prefix}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`));
}

/** The ports a component rendered by a definition serves, as its Service names them; none without a Service. */
function portsOf(emitted: readonly Emitted[], workload: Emitted | undefined): ComponentInfo["ports"] {
  const service = emitted.find((e) => e.object.kind === "Service" && e.object.apiVersion === "v1");
  if (!service) return workload ? [] : undefined;
  const list = service.object.spec?.ports;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).filter((p) => typeof p.port === "number").map((p) => {
    const protocol = p.protocol === "UDP" || p.protocol === "SCTP" ? p.protocol : "TCP";
    const named = typeof p.appProtocol === "string" ? p.appProtocol : typeof p.name === "string" ? p.name.split("-")[0] : undefined;
    const appProtocol = (["http", "http2", "grpc", "tcp", "tls"] as const).find((a) => a === named) ?? "tcp";
    return { port: p.port as number, protocol, appProtocol };
  });
}

/**
 * Validates one object against its schema, where one is known. A raw Istio document is held to
 * the vendored CRD schema, strictly (see validate-strict.ts); what meshgate renders itself is
 * checked by the model validators, its traits report their own mistakes in their words, and CI
 * holds the examples' renders to the strict schemas.
 */
function checkResource(entry: Rendered, raw: boolean): FileResource {
  const { object } = entry.resource;
  const identity = identityOf(object, entry.resource);
  const what = `${object.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name}${scopeLabel(entry.resource)}`;
  const issues: Diagnostic[] = [];
  const info = kindInfo(object);
  const version = splitApiVersion(object.apiVersion)[1];
  if (!info && isMeshGroup(splitApiVersion(object.apiVersion)[0])) {
    issues.push({ file: entry.file, line: entry.lineOf(["kind"]), severity: "error", message: `${what} (${object.apiVersion}) is not modelled by meshgate: it fails closed, since what it does to the mesh cannot be judged` });
  } else if (info && !info.versions.includes(version)) {
    // The API server refuses it: what it would do cannot be judged, so it fails closed.
    issues.push({ file: entry.file, line: entry.lineOf(["apiVersion"]), severity: "error", message: `${what}: ${FAMILY_NAMES[info.family]} serves no ${object.kind} at ${object.apiVersion} (served: ${info.versions.join(", ")})` });
  }
  const unchecked: UncheckedUse[] = [];
  const invalid = (issue: SchemaIssue): void => {
    issues.push({ file: entry.file, line: entry.lineOf(issue.path), severity: "error", message: `${what} is not valid ${object.apiVersion}: ${issue.message}` });
  };
  const strict = raw && info?.family === "istio" ? validateStrict(object) : { status: "unknown" as const };
  if (strict.status === "checked") {
    for (const issue of strict.issues) invalid(issue);
    for (const skipped of strict.skipped) {
      const field = skipped.path.length > 0 ? skipped.path.join(".") : "the object";
      unchecked.push({
        key: `rule\u0000${object.kind}\u0000${skipped.rule}`,
        message: `${object.kind} ${field}: the CRD rule \`${skipped.rule.replace(/\s+/g, " ")}\` is not evaluated, since ${skipped.reason}; the API server applies it`,
        file: entry.file,
        line: entry.lineOf(skipped.path),
      });
    }
  } else {
    if (raw && info?.family === "istio") {
      unchecked.push({ key: `kind\u0000${object.apiVersion}/${object.kind}`, message: `${object.kind} ${object.apiVersion}: no vendored Istio CRD schema, so unknown fields and CEL rules are not checked`, file: entry.file, line: entry.lineOf([]) });
    } else if (raw && info?.family === "gateway-api") {
      const unknown = gatewayApiUnknownFields(object);
      for (const issue of unknown ?? []) invalid(issue);
      const checks = unknown === undefined ? `no field tree for this version in @kubernetes-models/gateway-api, so unknown fields and the CRDs' CEL rules are not checked` : GATEWAY_API_CHECKS;
      unchecked.push({ key: `kind\u0000${object.apiVersion}/${object.kind}`, message: `${object.kind} ${object.apiVersion}: ${checks}`, file: entry.file, line: entry.lineOf([]) });
    }
    const check = validateResource(object);
    if (check.status === "invalid") {
      for (const issue of check.issues) invalid(issue);
    }
  }
  return { resource: entry.resource, identity, issues, unchecked };
}

const FAMILY_NAMES: Record<KindInfo["family"], string> = { istio: "Istio", "gateway-api": "Gateway API", kubernetes: "Kubernetes", kubevela: "KubeVela" };

function describeSource(source: SourceRef): string {
  const where = `${source.file}:${source.line}`;
  if (source.component === undefined) return where;
  return `${source.app ?? ""}/${source.component}${source.trait !== undefined ? ` (trait ${source.trait})` : ""} at ${where}`;
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.file < b.d.file ? -1 : a.d.file > b.d.file ? 1 : a.d.line - b.d.line || a.i - b.i))
    .map(({ d }) => d);
}
