/**
 * Contents through GitHub's contents and git-refs APIs: read a file or folder at a ref, and commit one
 * file to a branch (created from a base when missing). A commit whose content is already there makes
 * no commit, so pushing the same queue twice writes nothing the second time.
 */
import { ConflictError, ForgeError } from "../../errors.js";
import type { CommitFileInput, CommitFileResult, ForgeDirEntry, ForgeFile, RepoRef } from "../types.js";
import { call, callOrNull, httpStatus, parseResponse } from "./map.js";
import type { ForgeOctokit } from "./octokit.js";
import {
  BlobSchema,
  CommitFileResponseSchema,
  ContentEntrySchema,
  ContentFileSchema,
  RefSchema,
} from "./schema.js";

const where = (repo: RepoRef) => `${repo.owner}/${repo.repo}`;
const at = (ref?: string) => (ref ? ` at ${ref}` : "");

async function getContent(
  octokit: ForgeOctokit,
  repo: RepoRef,
  path: string,
  ref: string | undefined,
  op: string,
) {
  const response = await callOrNull(op, () =>
    octokit.rest.repos.getContent({ ...repo, path, ...(ref ? { ref } : {}) }),
  );
  return response?.data ?? null;
}

export async function readFile(
  octokit: ForgeOctokit,
  repo: RepoRef,
  path: string,
  ref?: string,
): Promise<ForgeFile | null> {
  const op = `read ${path}${at(ref)} of ${where(repo)}`;
  const data = await getContent(octokit, repo, path, ref, op);
  if (data === null) return null;
  if (Array.isArray(data)) throw new ForgeError(`GitHub ${op}: ${path} is a folder, not a file`);
  const file = parseResponse(ContentFileSchema, data, op);
  if (file.type !== "file") throw new ForgeError(`GitHub ${op}: ${path} is a ${file.type}, not a file`);
  if (file.encoding === "base64" && file.content !== undefined) {
    return { path: file.path, sha: file.sha, content: Buffer.from(file.content, "base64").toString("utf8") };
  }
  // Files over 1 MB come without content; their blob has it.
  const blobOp = `read blob ${file.sha} (${path}) of ${where(repo)}`;
  const { data: blobData } = await call(blobOp, () =>
    octokit.rest.git.getBlob({ ...repo, file_sha: file.sha }),
  );
  const blob = parseResponse(BlobSchema, blobData, blobOp);
  const content = Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8").toString("utf8");
  return { path: file.path, sha: file.sha, content };
}

export async function listDirectory(
  octokit: ForgeOctokit,
  repo: RepoRef,
  path: string,
  ref?: string,
): Promise<ForgeDirEntry[] | null> {
  const op = `list ${path || "/"}${at(ref)} of ${where(repo)}`;
  const data = await getContent(octokit, repo, path, ref, op);
  if (data === null) return null;
  if (!Array.isArray(data)) throw new ForgeError(`GitHub ${op}: ${path} is a file, not a folder`);
  return data.map((item) => {
    const entry = parseResponse(ContentEntrySchema, item, op);
    return { path: entry.path, name: entry.name, type: entry.type, sha: entry.sha };
  });
}

async function branchHead(octokit: ForgeOctokit, repo: RepoRef, branch: string): Promise<string | null> {
  const op = `get branch ${branch} of ${where(repo)}`;
  const response = await callOrNull(op, () => octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` }));
  return response ? parseResponse(RefSchema, response.data, op).object.sha : null;
}

/** What the caller already read (prefetch.ts): the branch's head, the file; undefined: read it here. */
export interface KnownBeforeCommit {
  head?: string | null;
  existing?: ForgeFile | null;
}

export async function commitFile(
  octokit: ForgeOctokit,
  repo: RepoRef,
  input: CommitFileInput,
  defaultBranch: () => Promise<string>,
  known: KnownBeforeCommit = {},
): Promise<CommitFileResult> {
  let head = known.head !== undefined ? known.head : await branchHead(octokit, repo, input.branch);
  if (head === null) {
    const from = input.createBranchFrom ?? (await defaultBranch());
    const base = await branchHead(octokit, repo, from);
    if (base === null)
      throw new ForgeError(`GitHub create branch ${input.branch} of ${where(repo)}: base ${from} not found`);
    const op = `create branch ${input.branch} from ${from} in ${where(repo)}`;
    try {
      await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${input.branch}`, sha: base });
      head = base;
    } catch (error) {
      // 422 "Reference already exists": another writer created it first; build on theirs.
      if (httpStatus(error) !== 422) await call(op, () => Promise.reject(error));
      head = await branchHead(octokit, repo, input.branch);
      if (head === null) throw new ForgeError(`GitHub ${op} failed: the branch vanished while being created`);
    }
  }
  const existing =
    known.existing !== undefined && known.head
      ? known.existing
      : await readFile(octokit, repo, input.path, input.branch);
  if (existing && existing.content === input.content) {
    return { commitSha: head, created: false, unchanged: true };
  }
  const op = `commit ${input.path} to ${input.branch} of ${where(repo)}`;
  const identity = input.author ? { author: input.author, committer: input.author } : {};
  try {
    const { data } = await octokit.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: input.path,
      branch: input.branch,
      message: input.message,
      content: Buffer.from(input.content, "utf8").toString("base64"),
      ...(existing ? { sha: existing.sha } : {}),
      ...identity,
    });
    return {
      commitSha: parseResponse(CommitFileResponseSchema, data, op).commit.sha,
      created: !existing,
      unchanged: false,
    };
  } catch (error) {
    // 409 (and 422 for a missing sha): the file changed since it was read.
    const status = httpStatus(error);
    if (status === 409 || (status === 422 && !existing)) {
      throw new ConflictError(`GitHub ${op}: the file changed on ${input.branch} meanwhile; try again`, {
        cause: error,
      });
    }
    return call(op, () => Promise.reject(error));
  }
}
