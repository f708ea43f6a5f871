/**
 * An agent's parameters for a run on an issue: the issue body's ```handoff block, honoured only when
 * its author may start runs, with the face's own (the Action's `parameters` input) on top; every
 * value checked as `handoff run`'s flags are, errors naming where the value came from.
 */
import { describe, expect, it } from "vitest";
import { findAgent, packageAgentsDir } from "../../src/agents/index.js";
import {
  issueParameterBlock,
  issueRunParameters,
  parseAgentParameters,
} from "../../src/flows/agent-parameters.js";
import { firstFencedBlock } from "../../src/flows/llm-tasks/command.js";
import { LocalForge } from "../../src/forge/index.js";
import { withGitSandbox } from "../helpers/git.js";

const shell = () => findAgent("shell", [packageAgentsDir()!]);

const BODY = [
  "Copy the notes.",
  "",
  "```sh",
  "echo an example, not the parameters",
  "```",
  "",
  "```handoff",
  "script: cp release-notes.md CHANGELOG.md",
  "```",
].join("\n");

describe("the ```handoff block of an issue", () => {
  it("is the first fenced block whose info string is handoff; other blocks are skipped whole", () => {
    expect(firstFencedBlock(BODY, "handoff")).toBe("script: cp release-notes.md CHANGELOG.md");
    expect(firstFencedBlock(BODY)).toBe("echo an example, not the parameters");
    // A ```handoff line inside another block is that block's text, not a block of its own.
    expect(firstFencedBlock("````md\n```handoff\nscript: x\n```\n````\n", "handoff")).toBeNull();
    expect(issueParameterBlock(7, "no block here")).toBeNull();
    expect(issueParameterBlock(7, BODY)).toEqual({
      text: "script: cp release-notes.md CHANGELOG.md",
      source: "issue #7's ```handoff block",
    });
  });

  it("gives the agent's parameters; the face's own win per name; errors name their source", async () => {
    const agent = await shell();
    const block = issueParameterBlock(7, BODY);
    expect(parseAgentParameters(agent, block)).toMatchObject({ script: "cp release-notes.md CHANGELOG.md" });
    expect(parseAgentParameters(agent, block, "script: echo input")).toMatchObject({ script: "echo input" });
    expect(() =>
      parseAgentParameters(agent, { text: "scrpit: x", source: "issue #7's ```handoff block" }),
    ).toThrow(/issue #7's ```handoff block: agent shell has no parameter "scrpit" \(it has script\)/);
    expect(() => parseAgentParameters(agent, "- a list")).toThrow(
      /input `parameters` must be a mapping of parameter names to values/,
    );
    expect(() => parseAgentParameters(agent, { text: "script: [1]", source: "the block" })).toThrow(
      /the block: script must be a string, number or boolean/,
    );
    // The shell agent's script is required: no source at all is the same error as `handoff run` without --script.
    expect(() => parseAgentParameters(agent)).toThrow(/agent shell: .*--script/);
  });

  it("is honoured only when the issue's author may start runs", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const forge = await LocalForge.open(repo, { actor: "alice" });
      await forge.setPermission("tia", "triage");
      const mine = await forge.createIssue({ title: "Mine", body: BODY });
      const theirs = await forge.as("tia").createIssue({ title: "Theirs", body: BODY });
      const agent = await shell();
      await expect(issueRunParameters(forge, agent, mine, "write")).resolves.toMatchObject({
        script: "cp release-notes.md CHANGELOG.md",
      });
      await expect(issueRunParameters(forge, agent, theirs, "write")).rejects.toThrow(
        `issue #2's \`\`\`handoff block is not used: it is written by its author, and @tia needs write permission on this repository to set an agent's parameters (has triage).`,
      );
      // Without a block the author does not matter: the face's own parameters are used.
      const plain = await forge.as("tia").createIssue({ title: "Plain", body: "no block" });
      await expect(issueRunParameters(forge, agent, plain, "write", "script: true")).resolves.toMatchObject({
        script: "true",
      });
    }));
});
