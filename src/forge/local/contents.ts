/**
 * The local forge's contents: the repository itself, read and written with real git. A commit is made
 * with plumbing (blob, throwaway index, commit-tree, update-ref with the old value as a lease), so no
 * worktree, index or checkout is touched, and a racing writer makes the second commit fail cleanly.
 */
import { posix } from "node:path";
import { ConflictError, ForgeError } from "../../errors.js";
import type { Git } from "../../git/git.js";
import { resolveIdentity } from "../../git/identity.js";
import type { CommitFileInput, CommitFileResult, ForgeDirEntry, ForgeFile } from "../types.js";

const ZERO = "0".repeat(40);

function cleanPath(path: string): string {
  const clean = posix.normalize(path.replace(/^\/+/, "")).replace(/\/+$/, "");
  if (clean === "." || clean === "") return "";
  if (clean.startsWith("../") || clean === "..")
    throw new ForgeError(`local forge: path ${path} leaves the repository`);
  return clean;
}

export async function readFile(git: Git, path: string, ref: string): Promise<ForgeFile | null> {
  const clean = cleanPath(path);
  const rev = `${ref}:${clean}`;
  const type = await git.objects.tryObjectType(rev);
  if (type === null) return null;
  if (type !== "blob")
    throw new ForgeError(`local forge: read ${path} at ${ref}: it is a folder, not a file`);
  const [entry] = await git.objects.lsTreeEntries(ref, [clean]);
  return { path: clean, content: await git.objects.readBlob(rev), sha: entry?.sha ?? "" };
}

export async function listDirectory(git: Git, path: string, ref: string): Promise<ForgeDirEntry[] | null> {
  const clean = cleanPath(path);
  const rev = clean ? `${ref}:${clean}` : `${ref}^{tree}`;
  const type = await git.objects.tryObjectType(rev);
  if (type === null) return null;
  if (type !== "tree")
    throw new ForgeError(`local forge: list ${path} at ${ref}: it is a file, not a folder`);
  const entries = await git.objects.lsTreeEntries(ref, [clean ? `${clean}/` : "."]);
  return entries.map((e) => ({
    path: e.path,
    name: posix.basename(e.path),
    type:
      e.type === "tree"
        ? "dir"
        : e.type === "commit"
          ? "submodule"
          : e.mode === "120000"
            ? "symlink"
            : "file",
    sha: e.sha,
  }));
}

export async function commitFile(
  git: Git,
  input: CommitFileInput,
  defaultBranch: () => Promise<string>,
): Promise<CommitFileResult> {
  const path = cleanPath(input.path);
  if (!path) throw new ForgeError(`local forge: commit needs a file path, got ${JSON.stringify(input.path)}`);
  const ref = `refs/heads/${input.branch}`;
  if (!(await git.refs.checkRefFormat(ref)))
    throw new ForgeError(`local forge: ${input.branch} is not a valid branch name`);
  // Moving a checked-out branch under its worktree would make that worktree look changed.
  const holder = (await git.worktreeList()).find((w) => w.branch === input.branch);
  if (holder) {
    throw new ConflictError(
      `local forge: branch ${input.branch} is checked out at ${holder.path}; commit there, or use another branch`,
    );
  }
  let head = await git.refs.tryShowRef(ref);
  const lease = head ?? ZERO;
  if (head === null) {
    const from = input.createBranchFrom ?? (await defaultBranch());
    head = await git.tryRevParse(`refs/heads/${from}`);
    if (head === null)
      throw new ForgeError(`local forge: create branch ${input.branch}: base ${from} not found`);
  }
  const existing = await readFile(git, path, head);
  if (existing && existing.content === input.content) {
    return { commitSha: head, created: false, unchanged: true };
  }
  const blob = await git.objects.hashObject(input.content);
  const tree = await git.objects.treeWithFile(head, path, blob);
  const author = await resolveIdentity(git, input.author);
  const commit = await git.objects.commitTree(tree, [head], input.message, { author });
  try {
    await git.refs.updateRef(ref, commit, {
      oldValue: lease,
      message: `handoff: ${input.message.split("\n")[0]}`,
    });
  } catch (error) {
    throw new ConflictError(`local forge: ${input.branch} moved while committing ${path}; try again`, {
      cause: error,
    });
  }
  return { commitSha: commit, created: !existing, unchanged: false };
}
