/**
 * A repository TraitDefinition `name` whose CUE template is `template` (lines of CUE, indented
 * with tabs as CUE is written), as a file under definitions/ holds it.
 */
export function traitDefinition(name: string, template: string): string {
  return `apiVersion: core.oam.dev/v1beta1
kind: TraitDefinition
metadata: { name: ${name} }
spec:
  schematic:
    cue:
      template: |
${template.replace(/^(?=.)/gm, "        ")}`;
}

/** A trait rendering AuthorizationPolicy `<component>-<suffix>` whose one empty rule `action`s every request. */
export function authorizationPolicyTrait(name: string, suffix: string, action = "ALLOW"): string {
  return traitDefinition(name, `outputs: policy: {
\tapiVersion: "security.istio.io/v1"
\tkind:       "AuthorizationPolicy"
\tmetadata: name: "\\(context.name)-${suffix}"
\tspec: {action: "${action}", rules: [{}]}
}
`);
}
