import { describe, expect, it } from "vitest";
import { renderTemplate, RUNTIME_PLACEHOLDERS } from "../../src/agents/template.js";

describe("renderTemplate", () => {
  it("fills known placeholders and keeps each argument one argv entry", () => {
    const values = { prompt_file: "/tmp/p.md", worktree: "/w t", issue: 7, script: "echo a; rm -rf /" };
    const args = ["-c", "{script}", "handoff-shell", "{prompt_file}", "{issue}", "--dir={worktree}"];
    expect(args.map((a) => renderTemplate(a, values))).toEqual([
      "-c",
      "echo a; rm -rf /",
      "handoff-shell",
      "/tmp/p.md",
      "7",
      "--dir=/w t",
    ]);
    expect(RUNTIME_PLACEHOLDERS).toEqual(["prompt_file", "worktree", "issue"]);
  });

  it("leaves unknown placeholders and inherited property names alone", () => {
    expect(renderTemplate("{missing} {constructor} {{x}}", { x: "1" })).toBe("{missing} {constructor} {1}");
  });
});
