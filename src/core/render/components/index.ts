import type { ComponentDefinition } from "../component.js";
import { k8sObjects } from "./k8s-objects.js";
import { webservice } from "./webservice.js";
import { worker } from "./worker.js";

/** The component types meshgate renders, by type name. The one registry of them. */
export const COMPONENTS: ReadonlyMap<string, ComponentDefinition> = new Map([webservice, worker, k8sObjects].map((c) => [c.type, c]));
