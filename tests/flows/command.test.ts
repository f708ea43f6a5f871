import { describe, expect, it } from "vitest";
import {
  firstFencedBlock,
  isCompleteCommand,
  parseCompleteCommand,
} from "../../src/flows/llm-tasks/command.js";

describe("/complete parsing", () => {
  it("takes the first fenced block as the answer, whatever surrounds it", () => {
    const body = '/complete here you go\n\n```json\n{"kind": "feature"}\n```\n\n```\nsecond\n```';
    expect(parseCompleteCommand(body)).toEqual({ content: '{"kind": "feature"}', source: "fenced block" });
  });

  it("takes the rest of the comment when there is no fenced block", () => {
    expect(parseCompleteCommand("/complete   The answer is 42.\n")).toEqual({
      content: "The answer is 42.",
      source: "comment text",
    });
  });

  it("keeps inner backticks of a longer fence and reads tilde fences", () => {
    expect(firstFencedBlock("````md\n```js\nx\n```\n````")).toBe("```js\nx\n```");
    expect(firstFencedBlock("~~~\na\n~~~")).toBe("a");
  });

  it("normalises Windows newlines", () => {
    expect(parseCompleteCommand("/complete\r\n```\r\nline1\r\nline2\r\n```\r\n")?.content).toBe(
      "line1\nline2",
    );
  });

  it("needs /complete as the first token", () => {
    expect(isCompleteCommand("/complete")).toBe(true);
    expect(isCompleteCommand("  /complete\nx")).toBe(true);
    expect(isCompleteCommand("/completed x")).toBe(false);
    expect(isCompleteCommand("please /complete")).toBe(false);
    expect(parseCompleteCommand("LGTM")).toBeNull();
  });

  it("an unclosed fence runs to the end of the comment", () => {
    expect(parseCompleteCommand("/complete\n```\nopen")?.content).toBe("open");
  });
});
