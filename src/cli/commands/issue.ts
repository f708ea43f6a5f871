import type { Command } from "commander";
import { readFileSync } from "node:fs";
import type { ForgeComment, ForgeIssue, ForgePullRequest, LocalForge } from "../../forge/index.js";
import { type ForgeFlags, addForgeOptions, openForge } from "../forge.js";
import { UsageError } from "../../errors.js";
import * as output from "../output.js";

/**
 * `handoff issue …` and `handoff pr …`: issues and pull requests on a forge — the local one by
 * default, so every flow also runs offline; `--forge github` for the real thing.
 */

interface ListFlags extends ForgeFlags {
  label?: string[];
  state?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

async function number(value: string, what: string): Promise<number> {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`${what} must be a positive number, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function readBody(flags: { body?: string; bodyFile?: string }): Promise<string> {
  if (flags.bodyFile) {
    return readFileSync(flags.bodyFile === "-" ? 0 : flags.bodyFile, "utf8");
  }
  return flags.body ?? "";
}

function issueLine(i: ForgeIssue): string {
  const labels = i.labels.length ? `  [${i.labels.join(", ")}]` : "";
  return `#${i.number}\t${i.state}\t${i.title}${labels}`;
}

function prLine(p: ForgePullRequest): string {
  return `#${p.number}\t${p.state}${p.draft ? " (draft)" : ""}\t${p.head} → ${p.base}\t${p.title}`;
}

/**
 * Markdown as GitHub shows it: Handoff's hidden `<!-- handoff:… -->` marker lines are not rendered
 * there, so the human output leaves them out too (`--json` keeps every byte).
 */
function rendered(markdown: string): string {
  return markdown
    .split("\n")
    .filter((line) => !/^<!-- handoff:[^>]*-->\s*$/.test(line))
    .join("\n")
    .replace(/^\n+/, "")
    .replace(/\n$/, "");
}

async function printIssue(issue: ForgeIssue, comments: ForgeComment[], json: boolean | undefined) {
  if (json) {
    output.printJson({ ...issue, comments });
    return;
  }
  output.printLine(`#${issue.number} ${issue.title} (${issue.state}) by ${issue.author.login}`);
  if (issue.labels.length) output.printLine(`labels: ${issue.labels.join(", ")}`);
  output.printLine(`url: ${issue.url}`);
  if (issue.body) output.printLine(`\n${rendered(issue.body)}`);
  for (const c of comments) {
    output.printLine(`\n— comment ${c.id} by ${c.author.login} at ${c.createdAt}`);
    output.printLine(rendered(c.body));
  }
}

/** How the app's loop runs offline: what `handoff issue label` and `comment` do on the local forge. */
const OFFLINE_LOOP = `
On the local forge (the default) these commands also play the Handoff app's part, offline:
  issue label N agent:NAME   the label handler: checks your permission and the agent, then dispatches
                             the agent workflow, which the local forge runs at once — the agent's run on
                             branch handoff/issue-N-…, its pull request, the evidence comment — and the
                             status comment ends final (exit 1 when the run failed; progress on stderr)
  issue comment N --body C   /complete answers an LLM task; /rollback [checkpoint] [--strategy revert]
                             rolls the issue's (or the PR's) branch back and runs the tests; /retry,
                             /status, /stop as on GitHub
  issue close N              a task's issue: the tasks that waited on it start (handoff tasks sync opens them)
  pr review N --request-changes   on a Handoff PR: the agent goes round again with the review
An agent's parameters come from the issue body's \`\`\`handoff block (YAML, e.g. "script: make gen" for
the shell agent), used only when the issue's author has write permission. --as LOGIN acts as another
user (permissions in .git/handoff/forge/users.json). See docs/github-app.md and docs/forge.md.`;

export function registerIssue(program: Command): void {
  const issue = program
    .command("issue")
    .description("Issues on the forge (local by default; --forge github for GitHub)")
    .addHelpText("after", OFFLINE_LOOP);

  addForgeOptions(
    issue
      .command("create")
      .description("Open an issue")
      .requiredOption("--title <text>", "issue title")
      .option("--body <text>", "issue body (Markdown)")
      .option("--body-file <file>", "read the body from a file (- for stdin)")
      .option("--label <name>", "label (repeatable)", collect)
      .option("--json", "print the issue as JSON"),
  ).action(
    async (
      flags: ForgeFlags & {
        title: string;
        body?: string;
        bodyFile?: string;
        label?: string[];
        json?: boolean;
      },
    ) => {
      const forge = await openForge(flags);
      const created = await forge.createIssue({
        title: flags.title,
        body: await readBody(flags),
        labels: flags.label ?? [],
      });
      if (flags.json) output.printJson(created);
      else output.printLine(`created issue #${created.number}: ${created.url}`);
    },
  );

  addForgeOptions(
    issue
      .command("list")
      .description("List issues (open by default)")
      .option("--label <name>", "only issues with this label (repeatable: all must match)", collect)
      .option("--state <state>", "open, closed or all", "open")
      .option("--json", "print the issues as JSON"),
  ).action(async (flags: ListFlags) => {
    if (!["open", "closed", "all"].includes(flags.state ?? "open"))
      throw new UsageError(`--state must be open, closed or all, got ${flags.state}`);
    const forge = await openForge(flags);
    const issues = await forge.listIssues({
      state: (flags.state ?? "open") as "open",
      labels: flags.label ?? [],
    });
    if (flags.json) output.printJson(issues);
    else if (!issues.length) output.printLine("no issues");
    else for (const i of issues) output.printLine(issueLine(i));
  });

  addForgeOptions(
    issue
      .command("show")
      .description("Show an issue with its comments")
      .argument("<number>")
      .option("--json", "print as JSON"),
  ).action(async (value: string, flags: ForgeFlags & { json?: boolean }) => {
    const forge = await openForge(flags);
    const n = await number(value, "issue number");
    await printIssue(await forge.getIssue(n), await forge.listComments(n), flags.json);
  });

  addForgeOptions(
    issue
      .command("comment")
      .description(
        "Comment on an issue or pull request; offline, /complete, /rollback, /retry, /stop, /status act",
      )
      .argument("<number>")
      .option("--body <text>", "comment body (Markdown)")
      .option("--body-file <file>", "read the body from a file (- for stdin)")
      .option("--json", "print the comment as JSON"),
  ).action(
    async (value: string, flags: ForgeFlags & { body?: string; bodyFile?: string; json?: boolean }) => {
      const body = await readBody(flags);
      if (!body.trim()) throw new UsageError("give the comment with --body TEXT or --body-file FILE");
      const forge = await openForge(flags);
      const n = await number(value, "issue number");
      const comment = await forge.createComment(n, body);
      if (flags.json) output.printJson(comment);
      else output.printLine(`commented on #${value}: ${comment.url}`);
      // On GitHub the app reacts to the comment (a /complete); the local forge has no app, so do it here.
      if (forge.kind === "local") {
        const { afterLocalComment, afterLocalCommand } = await import("../local-events.js");
        const line = await afterLocalComment(flags, n, comment);
        if (line && !flags.json) output.printLine(line);
        const said = line ? null : await afterLocalCommand(flags, n, comment);
        if (said && !flags.json) output.printLine(said);
      }
    },
  );

  addForgeOptions(
    issue
      .command("label")
      .description(
        "Add labels to an issue (missing labels are created), or remove them; offline, agent:NAME runs the agent",
      )
      .argument("<number>")
      .argument("<labels...>")
      .option("--remove", "remove the labels instead"),
  ).action(async (value: string, labels: string[], flags: ForgeFlags & { remove?: boolean }) => {
    const forge = await openForge(flags);
    const n = await number(value, "issue number");
    if (flags.remove) for (const label of labels) await forge.removeLabel(n, label);
    else await forge.addLabels(n, labels);
    // On GitHub the app sees the label (agent:<name> starts the agent); offline the CLI runs that handler.
    if (!flags.remove && forge.kind === "local") {
      const { afterLocalLabels } = await import("../local-events.js");
      for (const line of await afterLocalLabels(flags, n, labels)) output.printLine(line);
    }
    output.printLine(`#${n}: ${(await forge.getIssue(n)).labels.join(", ") || "no labels"}`);
  });

  addForgeOptions(
    issue
      .command("close")
      .description("Close an issue, with an optional closing comment")
      .argument("<number>")
      .option("--comment <text>", "comment to leave before closing"),
  ).action(async (value: string, flags: ForgeFlags & { comment?: string }) => {
    const forge = await openForge(flags);
    const n = await number(value, "issue number");
    if (flags.comment) await forge.createComment(n, flags.comment);
    const closed = await forge.closeIssue(n);
    output.printLine(`closed #${closed.number}`);
    // On GitHub the app sees a task's issue close (its dependents may start); offline the CLI runs that handler.
    if (forge.kind === "local") {
      const { afterLocalClose } = await import("../local-events.js");
      for (const line of await afterLocalClose(flags, closed.labels)) output.printLine(line);
    }
  });

  const pr = program
    .command("pr")
    .description("Pull requests on the forge (local by default; --forge github for GitHub)");

  addForgeOptions(
    pr
      .command("list")
      .description("List pull requests (open by default)")
      .option("--state <state>", "open, closed or all", "open")
      .option("--base <branch>", "only pull requests into this branch")
      .option("--json", "print as JSON"),
  ).action(async (flags: ForgeFlags & { state?: string; base?: string; json?: boolean }) => {
    if (!["open", "closed", "all"].includes(flags.state ?? "open"))
      throw new UsageError(`--state must be open, closed or all, got ${flags.state}`);
    const forge = await openForge(flags);
    const pulls = await forge.listPullRequests({
      state: (flags.state ?? "open") as "open",
      ...(flags.base ? { base: flags.base } : {}),
    });
    if (flags.json) output.printJson(pulls);
    else if (!pulls.length) output.printLine("no pull requests");
    else for (const p of pulls) output.printLine(prLine(p));
  });

  addForgeOptions(
    pr
      .command("review")
      .description(
        "Review a pull request on the local forge; offline, changes requested on a Handoff PR run its agent again",
      )
      .argument("<number>")
      .option("--approve", "approve the pull request")
      .option("--request-changes", "request changes (on a Handoff PR the agent goes round again)")
      .option("--comment", "comment without a verdict")
      .option("--body <text>", "the review's summary (Markdown)")
      .option(
        "--line <path:line=text>",
        "a comment on a line of the diff, e.g. src/a.ts:12=rename this (repeatable)",
        collect,
      ),
  ).action(
    async (
      value: string,
      flags: ForgeFlags & {
        approve?: boolean;
        requestChanges?: boolean;
        comment?: boolean;
        body?: string;
        line?: string[];
      },
    ) => {
      const verdicts = [
        flags.approve && "APPROVED",
        flags.requestChanges && "CHANGES_REQUESTED",
        flags.comment && "COMMENTED",
      ].filter(Boolean) as ("APPROVED" | "CHANGES_REQUESTED" | "COMMENTED")[];
      if (verdicts.length !== 1)
        throw new UsageError("give exactly one of --approve, --request-changes or --comment");
      const comments = (flags.line ?? []).map((spec) => {
        const match = /^([^:=]+):(\d+)=([\s\S]+)$/.exec(spec);
        if (!match) throw new UsageError(`--line must be path:line=text, got ${JSON.stringify(spec)}`);
        return { path: match[1]!, line: Number(match[2]), body: match[3]! };
      });
      const forge = await openForge(flags);
      if (forge.kind !== "local")
        throw new UsageError(
          "handoff pr review works on the local forge; on GitHub, review in its UI or with gh",
        );
      const n = await number(value, "pull request number");
      const pull = await forge.getPullRequest(n);
      const review = await (forge as LocalForge).submitReview(n, {
        state: verdicts[0]!,
        body: flags.body ?? "",
        comments,
      });
      output.printLine(
        `reviewed #${n}: ${review.state.toLowerCase().replace("_", " ")} (review ${review.id})`,
      );
      const { afterLocalReview } = await import("../local-events.js");
      const line = await afterLocalReview(flags, pull, { id: review.id, state: review.state });
      if (line) output.printLine(line);
    },
  );

  addForgeOptions(
    pr
      .command("show")
      .description("Show a pull request with its comments")
      .argument("<number>")
      .option("--json", "print as JSON"),
  ).action(async (value: string, flags: ForgeFlags & { json?: boolean }) => {
    const forge = await openForge(flags);
    const n = await number(value, "pull request number");
    const pull = await forge.getPullRequest(n);
    const comments = await forge.listComments(n);
    if (flags.json) {
      output.printJson({ ...pull, comments });
      return;
    }
    output.printLine(
      `#${pull.number} ${pull.title} (${pull.state}${pull.draft ? ", draft" : ""}) by ${pull.author.login}`,
    );
    output.printLine(`${pull.head} (${pull.headSha.slice(0, 12)}) → ${pull.base}`);
    output.printLine(`url: ${pull.url}`);
    if (pull.body) output.printLine(`\n${rendered(pull.body)}`);
    for (const c of comments) {
      output.printLine(`\n— comment ${c.id} by ${c.author.login} at ${c.createdAt}`);
      output.printLine(rendered(c.body));
    }
  });
}
