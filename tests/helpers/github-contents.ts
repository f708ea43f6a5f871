/**
 * The contents and git-refs endpoints of the recording GitHub server (github-server.ts): branches held
 * in memory as path → text, so a child process can commit files to a branch (the LLM-task queue
 * branch) and read them back exactly as it would on GitHub — 404 for what is missing, 409 for a stale
 * `sha`, 422 for a ref that exists — and a test can look at what ended up on each branch.
 */
import { createHash } from "node:crypto";

export interface ContentsStore {
  /** Branch name → (path → file text). */
  branches: Map<string, Map<string, string>>;
  /** Answers a contents or refs request, or null when the request is not one. */
  route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): [number, unknown] | null;
}

/** The blob id git (and GitHub) gives this text. */
export function blobSha(text: string): string {
  const data = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
}

export function contentsStore(base: string, defaultBranch = "main"): ContentsStore {
  const branches = new Map<string, Map<string, string>>([[defaultBranch, new Map()]]);
  const heads = new Map<string, string>([[defaultBranch, blobSha(`head of ${defaultBranch}`)]]);
  let commits = 0;
  const ref = (branch: string) => ({
    ref: `refs/heads/${branch}`,
    node_id: `REF_${branch}`,
    url: `https://api.github.com${base}/git/refs/heads/${branch}`,
    object: { sha: heads.get(branch)!, type: "commit", url: `https://api.github.com${base}/git/commits/x` },
  });
  const entry = (path: string, type: "file" | "dir", sha: string) => ({
    type,
    name: path.split("/").pop()!,
    path,
    sha,
    size: 0,
    url: `https://api.github.com${base}/contents/${path}`,
  });

  function route(
    method: string,
    p: string,
    q: URLSearchParams,
    body: Record<string, unknown>,
  ): [number, unknown] | null {
    let m: RegExpExecArray | null;
    // Octokit sends `heads/<branch>` as one encoded path parameter.
    if ((m = new RegExp(`^${base}/git/ref/(.+)$`).exec(p)) && method === "GET") {
      const branch = decodeURIComponent(m[1]!).replace(/^heads\//, "");
      return heads.has(branch) ? [200, ref(branch)] : [404, { message: "Not Found" }];
    }
    if (p === `${base}/git/refs` && method === "POST") {
      const branch = String(body.ref).replace(/^refs\/heads\//, "");
      if (heads.has(branch)) return [422, { message: "Reference already exists" }];
      const from = [...heads].find(([, sha]) => sha === body.sha)?.[0];
      if (!from) return [422, { message: "Object does not exist" }];
      branches.set(branch, new Map(branches.get(from)));
      heads.set(branch, String(body.sha));
      return [201, ref(branch)];
    }
    if (!(m = new RegExp(`^${base}/contents/(.+)$`).exec(p))) return null;
    const path = decodeURIComponent(m[1]!);
    if (method === "GET") {
      const branch = q.get("ref") ?? defaultBranch;
      const files = branches.get(branch);
      if (!files) return [404, { message: `No commit found for the ref ${branch}` }];
      const text = files.get(path);
      if (text !== undefined)
        return [
          200,
          {
            ...entry(path, "file", blobSha(text)),
            encoding: "base64",
            content: Buffer.from(text).toString("base64"),
          },
        ];
      const inside = [...files].filter(([name]) => name.startsWith(`${path}/`));
      if (!inside.length) return [404, { message: "Not Found" }];
      const children = new Map<string, ReturnType<typeof entry>>();
      for (const [name, content] of inside) {
        const rest = name.slice(path.length + 1);
        const child = rest.split("/")[0]!;
        const nested = rest.includes("/");
        children.set(
          child,
          entry(`${path}/${child}`, nested ? "dir" : "file", nested ? "0".repeat(40) : blobSha(content)),
        );
      }
      return [200, [...children.values()]];
    }
    if (method === "PUT") {
      const branch = String(body.branch ?? defaultBranch);
      const files = branches.get(branch);
      if (!files) return [404, { message: `Branch ${branch} not found` }];
      const existing = files.get(path);
      if (existing !== undefined && body.sha !== blobSha(existing))
        return existing !== undefined && body.sha === undefined
          ? [422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' }]
          : [409, { message: `${path} does not match ${String(body.sha)}` }];
      const text = Buffer.from(String(body.content), "base64").toString("utf8");
      files.set(path, text);
      const commit = blobSha(`commit ${++commits}`);
      heads.set(branch, commit);
      return [
        existing === undefined ? 201 : 200,
        {
          content: entry(path, "file", blobSha(text)),
          commit: { sha: commit, message: String(body.message) },
        },
      ];
    }
    return null;
  }
  return { branches, route };
}
