import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { stringify } from "yaml";
import type { KubeObject } from "../types.js";

function yamlOf(object: KubeObject | undefined): string {
  return object ? stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }) : "";
}

/**
 * The unified diff of one resource's YAML, as `render` prints it, with `git diff`'s file
 * headers (`/dev/null` on the side where the resource does not exist).
 */
export function resourcePatch(params: { label: string; before?: KubeObject; after?: KubeObject }): string {
  const { label, before, after } = params;
  return createTwoFilesPatch(before ? `a/${label}` : "/dev/null", after ? `b/${label}` : "/dev/null", yamlOf(before), yamlOf(after), undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
