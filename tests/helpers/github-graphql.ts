/**
 * Answers the GitHub forge's bulk-read GraphQL queries (src/forge/github/graphql.ts) from a small
 * description of repositories, as GitHub would: the query is parsed (graphql-js) and each aliased
 * field resolved from its variables. For the nock tests (mockBulkRead) and the benchmark's instant API.
 *
 * What a repository does not describe is answered as GraphQL's "cannot say" (a fragment that does
 * not match), so the forge falls back to REST for it and the REST mocks of a test stay in use.
 */
import {
  type DocumentNode,
  type FieldNode,
  type SelectionSetNode,
  type ValueNode,
  Kind,
  parse,
} from "graphql";

export interface FakeComment {
  id: number;
  body: string;
  login: string;
  type?: "User" | "Bot";
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
}

export interface FakePull {
  number: number;
  title: string;
  head: string;
  base?: string;
  draft?: boolean;
}

export interface FakeRepo {
  /** `ref:path` → text (`HEAD:` the default branch); a folder is every file under its path. */
  files?: Record<string, string>;
  /** Folders (`ref:path`) known to be absent, and files: answered null. */
  absent?: string[];
  comments?: Record<number, FakeComment[]>;
  /** Open issues by label; `*`: every open issue (a query without a label). */
  openIssues?: Record<string, FakeIssue[]>;
  openPulls?: FakePull[];
  labels?: string[];
  branches?: Record<string, string>;
}

/** `owner/name` → repository; a name missing here does not exist (NOT_FOUND). */
export type FakeRepos = Record<string, FakeRepo>;

const TIME = "2026-01-02T03:04:05Z";
const oid = (text: string) => {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, "0").repeat(5);
};

function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueOf(arg.value, variables) : undefined;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.INT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.NULL:
      return null;
    default:
      return undefined;
  }
}

/** Whether a selection asks for Tree entries (a folder) rather than a Blob's text. */
function wantsTree(selection: SelectionSetNode | undefined): boolean {
  return Boolean(
    selection?.selections.some(
      (s) => s.kind === Kind.INLINE_FRAGMENT && s.typeCondition?.name.value === "Tree",
    ),
  );
}

function user(login: string, type = "User") {
  // GraphQL names an app's account without the `[bot]` REST adds.
  return { login: login.replace(/\[bot\]$/, ""), __typename: type };
}

function tree(repo: FakeRepo, ref: string, path: string, depth: number): unknown {
  const prefix = `${ref}:${path}/`;
  const children = new Map<string, boolean>();
  for (const key of Object.keys(repo.files ?? {})) {
    if (!key.startsWith(prefix)) continue;
    const [name, ...rest] = key.slice(prefix.length).split("/");
    children.set(name!, rest.length > 0 || Boolean(children.get(name!)));
  }
  return {
    entries: [...children].map(([name, isDir]) => {
      const full = `${path}/${name}`;
      const text = repo.files?.[`${ref}:${full}`] ?? "";
      return {
        name,
        path: full,
        type: isDir ? "tree" : "blob",
        mode: isDir ? 0o040000 : 0o100644,
        oid: oid(isDir ? full : text),
        object: isDir
          ? depth > 0
            ? tree(repo, ref, full, depth - 1)
            : {}
          : { oid: oid(text), text, isTruncated: false, isBinary: false },
      };
    }),
  };
}

/** 100 a page; the cursor is the next page's first index. */
function paged<T>(all: readonly T[], after: unknown) {
  const start = typeof after === "string" ? Number(after) : 0;
  return {
    page: all.slice(start, start + 100),
    pageInfo: { hasNextPage: start + 100 < all.length, endCursor: String(start + 100) },
  };
}

function resolve(repo: FakeRepo, field: FieldNode, variables: Record<string, unknown>): unknown {
  switch (field.name.value) {
    case "object": {
      const expression = String(argument(field, "expression", variables));
      if (repo.absent?.includes(expression)) return null;
      const [ref, path] = [
        expression.slice(0, expression.indexOf(":")),
        expression.slice(expression.indexOf(":") + 1),
      ];
      const text = repo.files?.[expression];
      if (!wantsTree(field.selectionSet)) {
        return text === undefined ? {} : { oid: oid(text), text, isTruncated: false, isBinary: false };
      }
      const hasChildren = Object.keys(repo.files ?? {}).some((k) => k.startsWith(`${expression}/`));
      return hasChildren ? tree(repo, ref, path, 1) : {};
    }
    case "issueOrPullRequest": {
      const number = Number(argument(field, "number", variables));
      const comments = repo.comments?.[number];
      if (!comments) return {};
      return {
        id: `I_${number}`,
        comments: {
          totalCount: comments.length,
          nodes: comments.map((c) => ({
            id: `IC_${c.id}`,
            databaseId: c.id,
            body: c.body,
            url: `https://github.com/o/r/issues/1#issuecomment-${c.id}`,
            createdAt: TIME,
            updatedAt: TIME,
            author: user(c.login, c.type),
          })),
        },
      };
    }
    case "issues": {
      const [label] = (argument(field, "labels", variables) as string[] | undefined) ?? ["*"];
      const all = repo.openIssues?.[label ?? "*"];
      if (!all) return null;
      const { page, pageInfo } = paged(all, argument(field, "after", variables));
      return {
        pageInfo,
        nodes: page.map((i) => ({
          ...i,
          state: "OPEN",
          url: `https://github.com/o/r/issues/${i.number}`,
          createdAt: TIME,
          updatedAt: TIME,
          author: user("handoff[bot]", "Bot"),
          labels: { nodes: i.labels.map((name) => ({ name })) },
        })),
      };
    }
    case "pullRequests": {
      if (!repo.openPulls) return null;
      const { page, pageInfo } = paged(repo.openPulls, argument(field, "after", variables));
      return {
        pageInfo,
        nodes: page.map((p) => ({
          number: p.number,
          title: p.title,
          body: "",
          state: "OPEN",
          url: `https://github.com/o/r/pull/${p.number}`,
          headRefName: p.head,
          headRefOid: "a".repeat(40),
          baseRefName: p.base ?? "main",
          isDraft: Boolean(p.draft),
          merged: false,
          author: user("handoff[bot]", "Bot"),
        })),
      };
    }
    case "labels":
      return repo.labels
        ? { totalCount: repo.labels.length, nodes: repo.labels.map((name) => ({ name, id: `L_${name}` })) }
        : null;
    case "ref": {
      const name = String(argument(field, "qualifiedName", variables)).replace(/^refs\/heads\//, "");
      const head = repo.branches?.[name];
      return head ? { target: { oid: head } } : {};
    }
    default:
      return null;
  }
}

/** A write the forge's mutation made (src/forge/github/mutations.ts), with its input's ids as named here. */
export interface FakeWrite {
  mutation: string;
  input: Record<string, unknown>;
}

let nextCommentId = 5000;
/** Parsed queries: a handler sends the same query text each time (only the variables differ). */
const parsed = new Map<string, DocumentNode>();

/** The answer to one mutation field (the ids are the ones this fake hands out: I_n, IC_n, L_name). */
function mutate(field: FieldNode, variables: Record<string, unknown>, writes?: FakeWrite[]): unknown {
  const input = (field.arguments?.find((a) => a.name.value === "input")?.value ?? null) as ValueNode | null;
  const values: Record<string, unknown> = {};
  if (input?.kind === Kind.OBJECT)
    for (const f of input.fields) values[f.name.value] = valueOf(f.value, variables);
  writes?.push({ mutation: field.name.value, input: values });
  const comment = (id: number, body: unknown) => ({
    id: `IC_${id}`,
    databaseId: id,
    body,
    url: `https://github.com/o/r/issues/1#issuecomment-${id}`,
    createdAt: TIME,
    updatedAt: TIME,
    author: user("handoff[bot]", "Bot"),
  });
  switch (field.name.value) {
    case "addComment":
      return { commentEdge: { node: comment(nextCommentId++, values.body) } };
    case "updateIssueComment":
      return { issueComment: comment(Number(String(values.id).replace(/^IC_/, "")), values.body) };
    default:
      return { clientMutationId: null };
  }
}

/**
 * The response body GitHub would give to `body` (`{ query, variables }`): a bulk read, or a write
 * mutation whose writes are appended to `writes`.
 */
export function answerBulkRead(
  body: { query: string; variables?: Record<string, unknown> },
  repos: FakeRepos,
  writes?: FakeWrite[],
): { data: Record<string, unknown>; errors?: unknown[] } {
  const variables = body.variables ?? {};
  const document = parsed.get(body.query) ?? parsed.set(body.query, parse(body.query)).get(body.query)!;
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const data: Record<string, unknown> = {};
  if (operation?.operation === "mutation") {
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind === Kind.FIELD)
        data[selection.alias?.value ?? selection.name.value] = mutate(selection, variables, writes);
    }
    return { data };
  }
  const errors: unknown[] = [];
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== "repository") continue;
    const alias = selection.alias?.value ?? "repository";
    const name = `${String(argument(selection, "owner", variables))}/${String(argument(selection, "name", variables))}`;
    const repo = repos[name];
    if (!repo) {
      data[alias] = null;
      errors.push({
        type: "NOT_FOUND",
        path: [alias],
        message: `Could not resolve to a Repository with the name '${name}'.`,
      });
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const sub of selection.selectionSet?.selections ?? []) {
      if (sub.kind !== Kind.FIELD) continue;
      fields[sub.alias?.value ?? sub.name.value] = resolve(repo, sub, variables);
    }
    data[alias] = fields;
  }
  return errors.length ? { data, errors } : { data };
}
