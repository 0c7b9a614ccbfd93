// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unnecessary-condition": ["error", { allowConstantLoopConditions: true }],
    },
  },
  {
    // The pure core: no I/O, no clock, no environment, no logging (DESIGN §1).
    files: ["src/core/**/*.ts", "src/report/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*", "fs", "path", "child_process", "os", "process"], message: "src/core and src/report are pure: no I/O." },
          { group: ["probot", "@octokit/*", "octokit"], message: "src/core and src/report know nothing of GitHub." },
        ],
      }],
      "no-restricted-globals": ["error",
        { name: "process", message: "src/core is pure: pass values in." },
        { name: "console", message: "src/core is pure: return diagnostics instead of logging." },
        { name: "Date", message: "src/core is pure: the time is an input." },
        { name: "fetch", message: "src/core is pure: no I/O." },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node, parserOptions: { projectService: false } },
  },
);
