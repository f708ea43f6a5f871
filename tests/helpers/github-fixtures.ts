/**
 * Response bodies shaped like GitHub's (the fields the forge reads plus a few it ignores), for nock
 * replies. Values follow the REST API's documented examples.
 */
export const OWNER = "octo-org";
export const REPO = "app";
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
const HTML = `https://github.com/${OWNER}/${REPO}`;
const TIME = "2026-01-02T03:04:05Z";

export function ghUser(login: string, type = "User") {
  return {
    login,
    id: login.length * 1000 + 7,
    type,
    site_admin: false,
    html_url: `https://github.com/${login}`,
  };
}

export function ghIssue(
  number: number,
  fields: {
    title?: string;
    body?: string | null;
    state?: string;
    labels?: string[];
    user?: string;
    pull?: boolean;
  } = {},
) {
  return {
    id: 1_000_000 + number,
    node_id: `I_${number}`,
    number,
    title: fields.title ?? `Issue ${number}`,
    body: fields.body === undefined ? "" : fields.body,
    state: fields.state ?? "open",
    labels: (fields.labels ?? []).map((name, i) => ({ id: i + 1, name, color: "ededed", default: false })),
    user: ghUser(fields.user ?? "octocat"),
    html_url: `${HTML}/${fields.pull ? "pull" : "issues"}/${number}`,
    comments: 0,
    created_at: TIME,
    updated_at: TIME,
    ...(fields.pull ? { pull_request: { url: `https://api.github.com${REPO_PATH}/pulls/${number}` } } : {}),
  };
}

export function ghComment(id: number, body: string, user = "handoff[bot]") {
  return {
    id,
    node_id: `IC_${id}`,
    body,
    user: ghUser(user, user.endsWith("[bot]") ? "Bot" : "User"),
    html_url: `${HTML}/issues/1#issuecomment-${id}`,
    created_at: TIME,
    updated_at: TIME,
  };
}

export function ghPull(
  number: number,
  fields: { head: string; base?: string; title?: string; body?: string; sha?: string },
) {
  return {
    id: 2_000_000 + number,
    number,
    state: "open",
    title: fields.title ?? `PR ${number}`,
    body: fields.body ?? "",
    draft: false,
    merged_at: null,
    user: ghUser("handoff[bot]", "Bot"),
    html_url: `${HTML}/pull/${number}`,
    head: { ref: fields.head, sha: fields.sha ?? "a".repeat(40), label: `${OWNER}:${fields.head}` },
    base: { ref: fields.base ?? "main", sha: "b".repeat(40), label: `${OWNER}:${fields.base ?? "main"}` },
  };
}

export function ghContentFile(path: string, content: string, sha: string) {
  return {
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(content),
    name: path.split("/").pop(),
    path,
    content: Buffer.from(content).toString("base64"),
    sha,
  };
}
