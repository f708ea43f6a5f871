// Nothing secret leaves in a push, whatever carries it: a line a commit adds, a binary file's bytes
// (registered values and their encodings), a commit's message, a tag's message, and the push a
// rollback makes. Real git: a repository, a bare `origin`, and the wrapper's own pushes.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCheckpoint } from "../../src/checkpoints/checkpoints.js";
import { rollback } from "../../src/checkpoints/rollback.js";
import { PolicyDenied } from "../../src/errors.js";
import { Git } from "../../src/git/git.js";
import { pushBranch, pushTags } from "../../src/git/push.js";
import type { SecretFinding } from "../../src/git/secret-scan.js";
import { Redactor } from "../../src/redaction/index.js";
import { withGitSandbox, type GitSandbox } from "../helpers/git.js";

const SECRET = "s3cr3t-registered-value-9f2e";
const TOKEN = `ghp_${"A1b2C3d4E5".repeat(3)}123456`;

/** A repository on `feature` with a bare origin that has `main` only. */
async function repoWithOrigin(sb: GitSandbox): Promise<{ repo: string; bare: string }> {
  const repo = await sb.createRepo("repo", { files: { "README.md": "# r\n" } });
  const bare = await sb.bareOrigin(repo);
  await sb.git(repo, "checkout", "--quiet", "-b", "feature");
  return { repo, bare };
}

/** Commits a binary file: a PNG-like header, NUL bytes, then `payload` between more bytes. */
async function commitBinary(sb: GitSandbox, repo: string, path: string, payload: Buffer): Promise<string> {
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xc3]),
    payload,
    Buffer.from([0, 0xfe, 0x80, 0x0a, 0x01, 0x02]),
  ]);
  await writeFile(join(repo, path), bytes);
  await sb.git(repo, "add", "--", path);
  await sb.git(repo, "commit", "--quiet", "-m", `add ${path}`);
  return sb.head(repo);
}

async function refusal(push: Promise<unknown>): Promise<PolicyDenied & { findings: SecretFinding[] }> {
  const error = await push.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PolicyDenied);
  return error as PolicyDenied & { findings: SecretFinding[] };
}

describe("the push scan", () => {
  it("finds a registered secret in a binary file's bytes, and its base64 form, naming the file", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, bare } = await repoWithOrigin(sb);
      const secrets = new Redactor({ secrets: [SECRET] });
      await commitBinary(sb, repo, "logo.png", Buffer.from(SECRET));
      const raw = await refusal(pushBranch(new Git(repo), { remote: "origin", branch: "feature", secrets }));
      expect(raw.findings).toEqual([
        expect.objectContaining({ in: "file", file: "logo.png", kind: "secret", binary: true }),
      ]);
      expect(raw.message).toMatch(/logo\.png:\d+ \(secret, binary, commit [0-9a-f]{12}\)/);
      expect(raw.message).not.toContain(SECRET);
      expect((await sb.gitResult(bare, "rev-parse", "--verify", "feature")).code).not.toBe(0);

      // The encoded form is a registered secret too (base64 is one of the redactor's encodings).
      await sb.git(repo, "reset", "--quiet", "--hard", "HEAD~1");
      await commitBinary(sb, repo, "data.bin", Buffer.from(Buffer.from(SECRET).toString("base64")));
      const encoded = await refusal(
        pushBranch(new Git(repo), { remote: "origin", branch: "feature", secrets }),
      );
      expect(encoded.findings).toEqual([expect.objectContaining({ file: "data.bin", binary: true })]);
    });
  });

  it("does not read token shapes in binary bytes (random data matches them), but does in text", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, bare } = await repoWithOrigin(sb);
      const secrets = new Redactor();
      const sha = await commitBinary(sb, repo, "blob.bin", Buffer.from(TOKEN));
      await pushBranch(new Git(repo), { remote: "origin", branch: "feature", secrets });
      expect(await sb.head(bare, "feature")).toBe(sha);
      await sb.commitFile(repo, "conf.txt", `a\ntoken=${TOKEN}\n`);
      const text = await refusal(pushBranch(new Git(repo), { remote: "origin", branch: "feature", secrets }));
      expect(text.findings).toEqual([
        expect.objectContaining({ in: "file", file: "conf.txt", line: 2, kind: "github-token" }),
      ]);
    });
  });

  it("scans the messages of the commits pushed: a registered secret or a token shape refuses", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, bare } = await repoWithOrigin(sb);
      const secrets = new Redactor({ secrets: [SECRET] });
      await sb.commitFile(repo, "a.txt", "clean\n", `Fix the build\n\nused key ${SECRET} to test`);
      const sha = await sb.head(repo);
      const error = await refusal(
        pushBranch(new Git(repo), { remote: "origin", branch: "feature", secrets }),
      );
      expect(error.findings).toEqual([{ commit: sha, in: "commit-message", line: 3, kind: "secret" }]);
      expect(error.message).toContain(`line 3 of the message of commit ${sha.slice(0, 12)} (secret)`);
      expect(error.message).not.toContain(SECRET);
      await sb.git(repo, "commit", "--quiet", "--amend", "-m", `Fix the build with ${TOKEN}`);
      const shape = await refusal(
        pushBranch(new Git(repo), { remote: "origin", branch: "feature", secrets }),
      );
      expect(shape.findings).toEqual([expect.objectContaining({ in: "commit-message", line: 1 })]);
      expect((await sb.gitResult(bare, "rev-parse", "--verify", "feature")).code).not.toBe(0);
      // A clean message pushes.
      await sb.git(repo, "commit", "--quiet", "--amend", "-m", "Fix the build");
      await pushBranch(new Git(repo), { remote: "origin", branch: "feature", secrets });
      expect(await sb.head(bare, "feature")).toBe(await sb.head(repo));
    });
  });

  it("scans the tags a tag push adds: their messages, and only the tags the remote lacks", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, bare } = await repoWithOrigin(sb);
      const secrets = new Redactor({ secrets: [SECRET] });
      const git = new Git(repo);
      await sb.git(repo, "tag", "-a", "-m", "first checkpoint", "handoff/checkpoint/7/1");
      expect(await pushTags(git, { remote: "origin", prefix: "handoff/checkpoint/7", secrets })).toEqual([
        "refs/tags/handoff/checkpoint/7/1",
      ]);
      await sb.git(repo, "tag", "-a", "-m", `second\n\nsummary: ${SECRET}`, "handoff/checkpoint/7/2");
      const error = await refusal(
        pushTags(git, { remote: "origin", prefix: "handoff/checkpoint/7", secrets }),
      );
      expect(error.findings).toEqual([
        expect.objectContaining({
          in: "tag-message",
          tag: "handoff/checkpoint/7/2",
          line: 3,
          kind: "secret",
        }),
      ]);
      expect(error.message).toContain("line 3 of the message of tag handoff/checkpoint/7/2");
      expect(error.message).not.toContain(SECRET);
      expect(await sb.git(bare, "tag", "-l")).toBe("handoff/checkpoint/7/1");
    });
  });

  it("scans the tags' commits a tag push would bring, that no branch on the remote has", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, bare } = await repoWithOrigin(sb);
      const secrets = new Redactor({ secrets: [SECRET] });
      await sb.commitFile(repo, "notes.md", `one\n${SECRET}\n`);
      await sb.git(repo, "tag", "-a", "-m", "checkpoint", "handoff/checkpoint/8/1");
      const error = await refusal(
        pushTags(new Git(repo), { remote: "origin", prefix: "handoff/checkpoint/8", secrets }),
      );
      expect(error.findings).toEqual([expect.objectContaining({ in: "file", file: "notes.md", line: 2 })]);
      expect(await sb.git(bare, "tag", "-l")).toBe("");
    });
  });

  it("scans a rollback's push: rolling back to a checkpoint never pushed that carries a secret is refused", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, bare } = await repoWithOrigin(sb);
      const git = new Git(repo);
      const secrets = new Redactor({ secrets: [SECRET] });
      await sb.commitFile(repo, "a.txt", "pushed\n");
      await pushBranch(git, { remote: "origin", branch: "feature", secrets });
      const remoteTip = await sb.head(bare, "feature");
      // Locally, a checkpoint whose commit holds the secret, then more work on top.
      await sb.commitFile(repo, "leak.txt", `x\n${SECRET}\n`);
      const made = await createCheckpoint(git, { target: "refs/heads/feature", branch: "feature", issue: 3 });
      await sb.commitFile(repo, "b.txt", "more\n");
      const error = await refusal(
        rollback(git, { to: made.tag, branch: "feature", remote: "origin", secrets }),
      );
      expect(error.findings).toEqual([expect.objectContaining({ file: "leak.txt", line: 2 })]);
      expect(error.message).not.toContain(SECRET);
      expect(await sb.head(bare, "feature")).toBe(remoteTip);
      // Without registered values the rollback's scan still knows token shapes.
      await sb.git(repo, "checkout", "--quiet", "-B", "feature", remoteTip);
      await sb.commitFile(repo, "t.txt", `${TOKEN}\n`);
      const shaped = await createCheckpoint(git, {
        target: "refs/heads/feature",
        branch: "feature",
        issue: 3,
      });
      await sb.commitFile(repo, "c.txt", "more\n");
      const shape = await refusal(rollback(git, { to: shaped.tag, branch: "feature", remote: "origin" }));
      expect(shape.findings).toEqual([expect.objectContaining({ file: "t.txt", kind: "github-token" })]);
      expect(await sb.head(bare, "feature")).toBe(remoteTip);
    });
  });
});
