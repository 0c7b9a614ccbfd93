import type { BlobCache } from "./blob-cache.js";
import { CouldNotEvaluate, type GitHubClient, type RepoRef } from "./target.js";

/**
 * Blobs per GraphQL query. A query costs one rate-limit point however many objects it names,
 * so larger batches save calls, and each call costs the client a few milliseconds of queueing
 * in Octokit's throttling before it goes out; 250 typical manifests (a few KB each) make about
 * a megabyte, far inside GitHub's 10-second query timeout, so a cold evaluation of 2,000
 * manifests takes 9 parallel queries rather than one huge one that could time out.
 */
export const BLOB_BATCH_SIZE = 250;
/** A batch also stops at this many bytes (the tree tells each blob's size), so a few large files cannot make one response huge. */
export const BLOB_BATCH_BYTES = 2 * 1024 * 1024;
/** Larger blobs are not read (the command line's limit too): no manifest is this big. */
export const MAX_BLOB_BYTES = 8 * 1024 * 1024;

export interface BlobRequest {
  sha: string;
  /** Bytes, as the tree says. */
  size?: number;
}

interface BlobNode {
  text?: string | null;
  isBinary?: boolean;
  isTruncated?: boolean;
}

/**
 * The text of every blob asked for, by sha: from the cache, else fetched many per GraphQL query
 * (the queries in parallel), each distinct sha once. A blob that is not text, or too large to
 * read, gets a text that starts with a NUL byte, which the core reports as "not a text file"
 * on its path: an unreadable manifest fails the check instead of vanishing from the render.
 */
export async function gatherBlobs(params: { octokit: GitHubClient; repo: RepoRef; cache: BlobCache; blobs: readonly BlobRequest[] }): Promise<Map<string, string>> {
  const { octokit, repo, cache } = params;
  const texts = new Map<string, string>();
  const wanted = new Map<string, number | undefined>();
  for (const { sha, size } of params.blobs) {
    const cached = cache.get(sha);
    if (cached !== undefined) texts.set(sha, cached);
    else if (size !== undefined && size > MAX_BLOB_BYTES) texts.set(sha, unreadable(`${size} bytes, over meshgate's limit of ${MAX_BLOB_BYTES}`));
    else wanted.set(sha, size);
  }
  const batches = batchesOf([...wanted].sort(([a], [b]) => (a < b ? -1 : 1)));
  const fetched = await Promise.all(batches.map((batch) => fetchBatch({ octokit, repo, shas: batch })));
  for (const [sha, text] of fetched.flatMap((batch) => [...batch])) {
    cache.set(sha, text);
    texts.set(sha, text);
  }
  return texts;
}

function batchesOf(blobs: readonly [string, number | undefined][]): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let bytes = 0;
  for (const [sha, size = 0] of blobs) {
    if (batch.length > 0 && (batch.length >= BLOB_BATCH_SIZE || bytes + size > BLOB_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(sha);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

async function fetchBatch(params: { octokit: GitHubClient; repo: RepoRef; shas: readonly string[] }): Promise<Map<string, string>> {
  const { octokit, repo, shas } = params;
  const declarations = shas.map((_, i) => `$b${i}: GitObjectID!`).join(", ");
  const fields = shas.map((_, i) => `b${i}: object(oid: $b${i}) { ... on Blob { text isBinary isTruncated } }`).join("\n    ");
  const query = `query($owner: String!, $name: String!, ${declarations}) {\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`;
  const variables = Object.fromEntries(shas.map((sha, i) => [`b${i}`, sha]));
  const data = await octokit.graphql<{ repository: Record<string, BlobNode | null> | null }>(query, { owner: repo.owner, name: repo.repo, ...variables });
  const repository = data.repository;
  if (repository === null) throw new CouldNotEvaluate(`the repository ${repo.owner}/${repo.repo} could not be read`);

  const texts = new Map<string, string>();
  const truncated: string[] = [];
  shas.forEach((sha, i) => {
    const node = repository[`b${i}`];
    if (node === null || node === undefined) throw new CouldNotEvaluate(`GitHub did not return the blob ${sha}, which the tree lists`);
    if (node.isBinary === true || node.text === null) texts.set(sha, unreadable("binary"));
    else if (node.isTruncated === true) truncated.push(sha);
    else texts.set(sha, node.text ?? "");
  });
  // GraphQL cuts long texts short; the REST blob endpoint gives the whole content (base64).
  const whole = await Promise.all(truncated.map((sha) => fetchWholeBlob({ octokit, repo, sha })));
  truncated.forEach((sha, i) => texts.set(sha, whole[i] ?? ""));
  return texts;
}

/**
 * One blob through the REST API, which serves up to 100 MB, decoded as UTF-8 (invalid bytes
 * become U+FFFD, which the core reports): for the rare text GraphQL truncates or calls binary.
 */
export async function fetchWholeBlob(params: { octokit: GitHubClient; repo: RepoRef; sha: string; maxBytes?: number }): Promise<string> {
  const { octokit, repo, sha, maxBytes = MAX_BLOB_BYTES } = params;
  const { data } = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: sha });
  const bytes = data.encoding === "base64" ? Buffer.from(data.content, "base64") : Buffer.from(data.content, "utf8");
  if (bytes.length > maxBytes) return unreadable(`${bytes.length} bytes, over meshgate's limit of ${maxBytes}`);
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** A stand-in text the core rejects at line 1 ("not a text file"); the words after the NUL say why, for anyone reading the snapshot. */
export function unreadable(reason: string): string {
  return `\u0000 meshgate did not read this file: ${reason}`;
}
