import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { issueBranchName, issueWorktreePath, slugify } from "../../src/worktrees/naming.js";

describe("issue branch and worktree names", () => {
  it("slugs titles to lowercase ascii with single dashes", () => {
    expect(slugify("Fix: Login fails for   UPPER-case e-mails!")).toBe(
      "fix-login-fails-for-upper-case-e-mails",
    );
    expect(slugify("Café crème — naïve façade")).toBe("cafe-creme-naive-facade");
    expect(slugify("日本語のタイトル")).toBe("");
    expect(slugify("--a--")).toBe("a");
  });

  it("keeps slugs at most 40 characters, cut at a word when possible", () => {
    const slug = slugify("Support rolling back a branch to any checkpoint tag from the command line");
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug).toBe("support-rolling-back-a-branch-to-any");
    const noSpaces = slugify("a".repeat(60));
    expect(noSpaces).toBe("a".repeat(40));
  });

  it("names the branch handoff/issue-N-<slug> and the worktree .worktrees/issue-N", () => {
    expect(issueBranchName(12, "Add rollback")).toBe("handoff/issue-12-add-rollback");
    expect(issueBranchName(12, "")).toBe("handoff/issue-12");
    expect(issueBranchName("job-7", "x", "agent/")).toBe("agent/job-7-x");
    expect(issueWorktreePath("/repo", 12)).toBe("/repo/.worktrees/issue-12");
    expect(issueWorktreePath("/repo", 12, "/var/wt")).toBe("/var/wt/issue-12");
  });

  it("rejects issue keys that could escape the worktree root", () => {
    expect(() => issueWorktreePath("/repo", "../x")).toThrow(UsageError);
    expect(() => issueBranchName("a b", "t")).toThrow(/invalid issue key/);
  });
});
