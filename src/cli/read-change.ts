import { stat } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { CONFIG_PATH, loadConfig, type Config } from "../core/config/config.js";
import { isScopeCandidate, manifestMatcher } from "../core/manifests/read-manifests.js";
import { CODEOWNERS_PATHS } from "../core/owners/find-codeowners.js";
import type { Diagnostic, Snapshot } from "../core/types.js";
import { gitSnapshot, mergeBase, repositoryRoot, resolveCommit, treeFingerprints } from "./git-snapshot.js";
import { directoryFingerprints, readDirectorySnapshot } from "./read-snapshot.js";

/** One side of the comparison, read and ready to render. */
export interface ChangeSide {
  snapshot: Snapshot;
  diagnostics: Diagnostic[];
  /** Where the side's paths are, relative to the current directory, to print diagnostics. */
  displayRoot: string;
}

/** Everything a comparison of two sides needs from disk or git, gathered once. */
export interface ChangeInputs {
  base: ChangeSide;
  head: ChangeSide;
  config: Config;
  /** The base's config text (absent: defaults). */
  configText?: string;
  /** Problems with the config file, whose paths are relative to the base side. */
  configDiagnostics: Diagnostic[];
  /** Policy files of the base as given: the config and the CODEOWNERS candidates. */
  policyFiles: Map<string, string>;
  /** The head's config text when it differs from the base's. */
  headConfig?: string;
  /** Every path that differs between the compared sides, manifest or not. */
  changedFiles: string[];
}

type Location = { type: "directory"; value: string; root: string } | { type: "revision"; value: string; commit: string };

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function locate(cwd: string, value: string): Promise<Location> {
  const root = resolve(cwd, value);
  if (await isDirectory(root)) return { type: "directory", value, root };
  return { type: "revision", value, commit: await resolveCommit(cwd, value) };
}

const POLICY_PATHS: ReadonlySet<string> = new Set([CONFIG_PATH, ...CODEOWNERS_PATHS]);

/**
 * Reads the two sides of a comparison from directories or git revisions. Policy (config,
 * CODEOWNERS) comes from the base as given, never from the head: a change cannot relax its
 * own gate. When both are revisions the base snapshot is their merge base, so changes the base
 * branch made after the branch point are not shown as the head's.
 */
export async function readChange(params: { cwd: string; base: string; head: string }): Promise<ChangeInputs> {
  const { cwd } = params;
  const [base, head] = [await locate(cwd, params.base), await locate(cwd, params.head)];
  const gitRoot = base.type === "revision" || head.type === "revision" ? relative(cwd, await repositoryRoot(cwd)) : "";

  const readSide = async (side: Location, wanted: (path: string) => boolean, commit?: string): Promise<ChangeSide> => {
    if (side.type === "directory") return { ...(await readDirectorySnapshot(side.root, wanted)), displayRoot: side.value };
    return { ...(await gitSnapshot({ cwd, commit: commit ?? side.commit, wanted })), displayRoot: gitRoot };
  };

  // 1. Policy from the base as given.
  const policy = await readSide(base, (p) => POLICY_PATHS.has(p));
  const policyFiles = new Map(policy.snapshot.files);
  const configText = policyFiles.get(CONFIG_PATH);
  const { config, diagnostics: configDiagnostics } = loadConfig(configText);
  const isSelected = manifestMatcher(config.manifests);
  // The files the config leaves out are read too, only to tell their mesh documents (SCOPE-001).
  const isManifest = (path: string): boolean => isSelected(path) || isScopeCandidate(path);

  // 2. The manifests of both sides: for two revisions, the base is their merge base.
  const baseCommit = base.type === "revision" && head.type === "revision" ? await mergeBase(cwd, base.commit, head.commit) : undefined;
  const baseSide = await readSide(base, (p) => isManifest(p), baseCommit);
  const headSide = await readSide(head, (p) => isManifest(p) || p === CONFIG_PATH);
  const headConfig = headSide.snapshot.files.get(CONFIG_PATH);

  // 3. Which files differ, manifests or not (code owners approve files, not resources).
  const fingerprints = (side: Location, commit?: string): Promise<Map<string, string>> =>
    side.type === "directory" ? directoryFingerprints(side.root) : treeFingerprints(cwd, commit ?? side.commit);
  const [before, after] = [await fingerprints(base, baseCommit), await fingerprints(head)];
  const changedFiles = [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p)).sort();

  return {
    base: baseSide,
    head: { ...headSide, snapshot: { files: new Map([...headSide.snapshot.files].filter(([p]) => isManifest(p))) } },
    config,
    ...(configText !== undefined ? { configText } : {}),
    configDiagnostics,
    policyFiles,
    ...(headConfig !== undefined && headConfig !== configText ? { headConfig } : {}),
    changedFiles,
  };
}
