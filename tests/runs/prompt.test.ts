import { describe, expect, it } from "vitest";
import { buildPrompt, feedback } from "../../src/runs/prompt.js";

const job = { issue: 7, title: "Greet", body: "Say hello.", comments: [], labels: ["bug", "agent:codex"] };

describe("the iteration prompt", () => {
  it("carries the issue's labels, as the system prompt promises", () => {
    const prompt = buildPrompt({ systemPrompt: "S", job, iteration: 1, maxIterations: 3, leftovers: [] });
    expect(prompt).toContain("# Job: issue 7 — Greet\n\nLabels: bug, agent:codex\n");
    expect(
      buildPrompt({
        systemPrompt: "S",
        job: { ...job, labels: [] },
        iteration: 1,
        maxIterations: 3,
        leftovers: [],
      }),
    ).not.toContain("Labels:");
  });

  it("tells the next iteration which commands were denied and by which rule, before anything else", () => {
    const left = feedback(undefined, [], { resultText: "I tried." } as never, [
      { command: "rm -rf .git/hooks", rule: "write-path", reason: "`.git/hooks` is inside a .git directory" },
    ]);
    expect(left[0]?.title).toMatch(/^Commands Handoff's policy denied/);
    expect(left[0]?.body).toBe(
      "rm -rf .git/hooks\n  denied by write-path: `.git/hooks` is inside a .git directory",
    );
    expect(left.at(-1)).toEqual({ title: "Your last message", body: "I tried." });
    const prompt = buildPrompt({ systemPrompt: "S", job, iteration: 2, maxIterations: 3, leftovers: left });
    expect(prompt).toContain("denied by write-path");
  });
});
