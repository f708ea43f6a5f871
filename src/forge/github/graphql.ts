/**
 * Bulk reads through GitHub's GraphQL API: what a handler needs before it acts (files and folders with
 * their texts, in this repository or another, an issue's comments, the open issues with a label, which
 * labels exist, a branch's head) in ONE request, where REST needs one request per file, folder, list
 * page and label. The GitHub forge answers its reads from the result (see prefetch.ts).
 *
 * Every value is passed as a variable, never spliced into the query; the query text is built only
 * from fixed fragments and generated aliases. Parts GitHub cannot resolve (a missing `.github`
 * repository, a file that is not there) come back as null, like a REST 404.
 */
import { ForgeError } from "../../errors.js";
import type {
  ForgeComment,
  ForgeDirEntry,
  ForgeFile,
  ForgeIssue,
  ForgePullRequest,
  RepoRef,
} from "../types.js";
import type { ForgeOctokit } from "./octokit.js";

/** One thing to read. `ref` undefined: the default branch (`HEAD`). */
export type BulkItem =
  | { kind: "file"; repo: RepoRef; path: string; ref?: string }
  /** A folder's entries, with the texts of its files and of its subfolders' files (two levels). */
  | { kind: "folder"; repo: RepoRef; path: string; ref?: string; texts?: boolean }
  /** The first 100 comments of an issue or pull request. */
  | { kind: "comments"; repo: RepoRef; issue: number }
  /** Open issues (with this label, when given), newest first, 100 a page. */
  | { kind: "issues"; repo: RepoRef; label?: string; after?: string }
  /** Open pull requests, newest first, 100 a page. */
  | { kind: "pulls"; repo: RepoRef; after?: string }
  /** The repository's labels (the first 100). */
  | { kind: "labels"; repo: RepoRef }
  | { kind: "branch"; repo: RepoRef; branch: string };

export type BulkValue =
  | { kind: "file"; file: ForgeFile | null }
  | {
      kind: "folder";
      entries: ForgeDirEntry[] | null;
      /** The texts of the folder's files and its subfolders' files (binary and huge ones left out). */
      files: ForgeFile[];
      subfolders: { path: string; entries: ForgeDirEntry[] }[];
    }
  /**
   * `complete` false: more than 100 comments, so the list is not the whole of them. `nodeId`: the
   * issue's GraphQL id, `commentNodeIds` the comments' (for the write mutations, mutations.ts).
   */
  | {
      kind: "comments";
      comments: ForgeComment[];
      complete: boolean;
      nodeId: string;
      commentNodeIds: Map<number, string>;
    }
  | { kind: "issues"; issues: ForgeIssue[]; next: string | null }
  | { kind: "pulls"; pulls: ForgePullRequest[]; next: string | null }
  /** `ids`: each label's GraphQL id by name. */
  | { kind: "labels"; names: string[]; complete: boolean; ids: Map<string, string> }
  | { kind: "branch"; head: string | null };

const BLOB = "... on Blob { oid text isTruncated isBinary }";
const ENTRY = `name path type mode oid object { ${BLOB} }`;
const FOLDER = `... on Tree { entries { ${ENTRY} object { ... on Tree { entries { ${ENTRY} } } } } }`;
/** Names only (a results folder: its files' texts are not needed, and there may be thousands). */
const NAMES = "... on Tree { entries { name path type mode oid } }";
const AUTHOR = "author { login __typename }";
/** A comment as the forge maps it (also what the write mutations return, mutations.ts). */
export const COMMENT = `id databaseId body url createdAt updatedAt ${AUTHOR}`;
const COMMENTS = `id comments(first: 100) { totalCount nodes { ${COMMENT} } }`;
const ISSUE = `number title body state url createdAt updatedAt ${AUTHOR} labels(first: 100) { nodes { name } }`;
const PULL = `number title body state url headRefName headRefOid baseRefName isDraft merged ${AUTHOR}`;
const PAGE = "pageInfo { hasNextPage endCursor }";
const NEWEST = "orderBy: { field: CREATED_AT, direction: DESC }";

interface Part {
  /** Field selection under `repository(...)`, with `$v` standing for this item's variables. */
  select: (v: (name: string) => string) => string;
  variables: Record<string, unknown>;
  types: Record<string, string>;
}

function part(item: BulkItem): Part {
  switch (item.kind) {
    case "file":
      return {
        select: (v) => `object(expression: ${v("e")}) { ${BLOB} }`,
        variables: { e: `${item.ref ?? "HEAD"}:${item.path}` },
        types: { e: "String!" },
      };
    case "folder":
      return {
        select: (v) => `object(expression: ${v("e")}) { ${item.texts === false ? NAMES : FOLDER} }`,
        variables: { e: `${item.ref ?? "HEAD"}:${item.path}` },
        types: { e: "String!" },
      };
    case "comments":
      return {
        select: (v) =>
          `issueOrPullRequest(number: ${v("n")}) { ... on Issue { ${COMMENTS} } ... on PullRequest { ${COMMENTS} } }`,
        variables: { n: item.issue },
        types: { n: "Int!" },
      };
    case "issues":
      return item.label === undefined
        ? {
            select: (v) =>
              `issues(first: 100, after: ${v("a")}, states: OPEN, ${NEWEST}) { ${PAGE} nodes { ${ISSUE} } }`,
            variables: { a: item.after ?? null },
            types: { a: "String" },
          }
        : {
            select: (v) =>
              `issues(first: 100, after: ${v("a")}, states: OPEN, labels: [${v("l")}], ${NEWEST}) { ${PAGE} nodes { ${ISSUE} } }`,
            variables: { a: item.after ?? null, l: item.label },
            types: { a: "String", l: "String!" },
          };
    case "pulls":
      return {
        select: (v) =>
          `pullRequests(first: 100, after: ${v("a")}, states: OPEN, ${NEWEST}) { ${PAGE} nodes { ${PULL} } }`,
        variables: { a: item.after ?? null },
        types: { a: "String" },
      };
    case "labels":
      return {
        select: () => "labels(first: 100) { totalCount nodes { name id } }",
        variables: {},
        types: {},
      };
    case "branch":
      return {
        select: (v) => `ref(qualifiedName: ${v("r")}) { target { oid } }`,
        variables: { r: `refs/heads/${item.branch}` },
        types: { r: "String!" },
      };
  }
}

/** The query for `items`, with its variables; items of one repository share its `repository` field. */
export function buildBulkQuery(items: readonly BulkItem[]): {
  query: string;
  variables: Record<string, unknown>;
} {
  const repos = new Map<string, { repo: RepoRef; alias: string; fields: string[] }>();
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  items.forEach((item, i) => {
    const key = `${item.repo.owner}/${item.repo.repo}`;
    let repo = repos.get(key);
    if (!repo) {
      const alias = `r${repos.size}`;
      repo = { repo: item.repo, alias, fields: [] };
      repos.set(key, repo);
      variables[`${alias}o`] = item.repo.owner;
      variables[`${alias}n`] = item.repo.repo;
      declarations.push(`$${alias}o: String!`, `$${alias}n: String!`);
    }
    const p = part(item);
    for (const [name, value] of Object.entries(p.variables)) variables[`i${i}${name}`] = value;
    for (const [name, type] of Object.entries(p.types)) declarations.push(`$i${i}${name}: ${type}`);
    repo.fields.push(`i${i}: ${p.select((name) => `$i${i}${name}`)}`);
  });
  const body = [...repos.values()]
    .map((r) => `${r.alias}: repository(owner: $${r.alias}o, name: $${r.alias}n) { ${r.fields.join(" ")} }`)
    .join(" ");
  return { query: `query handoffBulkRead(${declarations.join(", ")}) { ${body} }`, variables };
}

export type Json = Record<string, unknown>;

interface GraphqlFailure {
  errors?: { type?: string; message?: string; path?: (string | number)[] }[];
  data?: Json;
}

/** Runs the query; NOT_FOUND parts become null (reads only), any other GraphQL error is a ForgeError. */
export async function runGraphql(
  octokit: ForgeOctokit,
  query: string,
  variables: Json,
  what: string,
  notFoundIsNull = true,
): Promise<Json> {
  try {
    return await octokit.graphql<Json>(query, variables);
  } catch (error) {
    const failure = error as GraphqlFailure & Error;
    const errors = failure.errors;
    if (!errors || !failure.data) {
      throw new ForgeError(`GitHub ${what}: ${failure.message}`, { cause: error });
    }
    // A read's missing part is null (a REST 404); a write that found nothing failed.
    const serious = errors.filter((e) => !notFoundIsNull || e.type !== "NOT_FOUND");
    if (serious.length) {
      throw new ForgeError(`GitHub ${what}: ${serious.map((e) => e.message).join("; ")}`, { cause: error });
    }
    return failure.data;
  }
}

/** A GraphQL comment (COMMENT's fields) as the port's comment. */
export function toComment(n: Json): ForgeComment {
  return {
    id: n.databaseId as number,
    body: (n.body as string) ?? "",
    author: user(n.author),
    url: n.url as string,
    createdAt: n.createdAt as string,
    updatedAt: n.updatedAt as string,
  };
}

function user(author: unknown): { login: string; type: string } {
  const a = author as { login?: string; __typename?: string } | null;
  if (!a?.login) return { login: "ghost", type: "User" };
  // REST names an app's account `name[bot]`; GraphQL gives the bare name with type Bot.
  const type = a.__typename === "Bot" ? "Bot" : a.__typename === "Organization" ? "Organization" : "User";
  return { login: type === "Bot" && !a.login.endsWith("[bot]") ? `${a.login}[bot]` : a.login, type };
}

function blobFile(path: string, object: unknown): ForgeFile | null | undefined {
  const blob = object as {
    oid?: string;
    text?: string | null;
    isTruncated?: boolean;
    isBinary?: boolean;
  } | null;
  if (!blob) return null;
  // Binary or over GraphQL's size limit: unknown here, the REST read (which handles both) decides.
  if (typeof blob.text !== "string" || blob.isTruncated || blob.isBinary || !blob.oid) return undefined;
  return { path, sha: blob.oid, content: blob.text };
}

/** GitHub's tree entry types and modes → the port's entry types (mode 120000 is a symlink). */
function entryType(type: string, mode: number): ForgeDirEntry["type"] {
  if (type === "tree") return "dir";
  if (type === "commit") return "submodule";
  return mode === 0o120000 ? "symlink" : "file";
}

interface TreeEntry {
  name: string;
  path: string;
  type: string;
  mode: number;
  oid: string;
  object?: { entries?: TreeEntry[] } & Json;
}

function folder(object: unknown): Extract<BulkValue, { kind: "folder" }> | undefined {
  const tree = object as { entries?: TreeEntry[] } | null;
  if (tree === null) return { kind: "folder", entries: null, files: [], subfolders: [] };
  // Not a tree (a file at that path): REST's listing says so with its own error.
  if (!tree?.entries) return undefined;
  const files: ForgeFile[] = [];
  const entries = (list: TreeEntry[]): ForgeDirEntry[] =>
    list.map((e) => {
      const type = entryType(e.type, e.mode);
      if (type === "file") {
        const file = blobFile(e.path, e.object);
        if (file) files.push(file);
      }
      return { path: e.path, name: e.name, type, sha: e.oid };
    });
  const top = entries(tree.entries);
  const subfolders = tree.entries
    .filter((e) => e.type === "tree" && Array.isArray(e.object?.entries))
    .map((e) => ({ path: e.path, entries: entries(e.object!.entries!) }));
  return { kind: "folder", entries: top, files, subfolders };
}

interface Page {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Json[];
}

const nextCursor = (page: Page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);

function value(item: BulkItem, data: unknown): BulkValue | undefined {
  const d = data as Json | null | undefined;
  switch (item.kind) {
    case "file": {
      const file = blobFile(item.path, d);
      return file === undefined ? undefined : { kind: "file", file };
    }
    case "folder":
      return folder(d);
    case "comments": {
      const c = (d?.comments ?? null) as { totalCount: number; nodes: Json[] } | null;
      if (!c) return undefined;
      const comments = c.nodes.map(toComment);
      return {
        kind: "comments",
        comments,
        complete: c.totalCount <= comments.length,
        nodeId: d!.id as string,
        commentNodeIds: new Map(c.nodes.map((n) => [n.databaseId as number, n.id as string])),
      };
    }
    case "issues": {
      const list = d as Page | null;
      if (!list) return undefined;
      const issues = list.nodes.map((n) => ({
        number: n.number as number,
        title: n.title as string,
        body: (n.body as string) ?? "",
        state: n.state === "CLOSED" ? ("closed" as const) : ("open" as const),
        labels: ((n.labels as { nodes: { name: string }[] } | null)?.nodes ?? []).map((l) => l.name),
        author: user(n.author),
        url: n.url as string,
        isPullRequest: false,
        createdAt: n.createdAt as string,
        updatedAt: n.updatedAt as string,
      }));
      return { kind: "issues", issues, next: nextCursor(list) };
    }
    case "pulls": {
      const list = d as Page | null;
      if (!list) return undefined;
      const pulls = list.nodes.map((n) => ({
        number: n.number as number,
        title: n.title as string,
        body: (n.body as string) ?? "",
        state: n.state === "OPEN" ? ("open" as const) : ("closed" as const),
        head: n.headRefName as string,
        headSha: n.headRefOid as string,
        base: n.baseRefName as string,
        draft: Boolean(n.isDraft),
        merged: Boolean(n.merged),
        author: user(n.author),
        url: n.url as string,
      }));
      return { kind: "pulls", pulls, next: nextCursor(list) };
    }
    case "labels": {
      const labels = d as { totalCount: number; nodes: { name: string; id: string }[] } | null;
      if (!labels) return undefined;
      const names = labels.nodes.map((l) => l.name);
      const ids = new Map(labels.nodes.map((l) => [l.name, l.id]));
      return { kind: "labels", names, complete: labels.totalCount <= names.length, ids };
    }
    case "branch": {
      if (d === null) return { kind: "branch", head: null };
      const oid = (d as { target?: { oid?: string } } | undefined)?.target?.oid;
      return oid ? { kind: "branch", head: oid } : undefined;
    }
  }
}

/**
 * Reads `items` in one GraphQL request. The answer has one entry per item, in order: its value, or
 * undefined when GraphQL could not give it in full (a binary or huge file, a missing repository's
 * list), so the caller reads that one through REST.
 */
export async function bulkRead(
  octokit: ForgeOctokit,
  items: readonly BulkItem[],
): Promise<(BulkValue | undefined)[]> {
  if (!items.length) return [];
  const { query, variables } = buildBulkQuery(items);
  const where = [...new Set(items.map((i) => `${i.repo.owner}/${i.repo.repo}`))].join(", ");
  const data = await runGraphql(octokit, query, variables, `bulk read of ${where}`);
  const aliases = new Map<string, string>();
  for (const item of items) {
    const key = `${item.repo.owner}/${item.repo.repo}`;
    if (!aliases.has(key)) aliases.set(key, `r${aliases.size}`);
  }
  return items.map((item, i) => {
    const repo = data[aliases.get(`${item.repo.owner}/${item.repo.repo}`)!] as Json | null | undefined;
    // The repository itself is missing (the owner has no `.github` repository, or the app cannot see
    // it): its files are absent, as REST's 404s would say; its lists are unknown.
    if (!repo) return item.kind === "file" ? { kind: "file", file: null } : undefined;
    return value(item, repo[`i${i}`]);
  });
}
