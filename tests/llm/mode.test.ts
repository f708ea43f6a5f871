import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { isTargeted, resolveMode, routeTask } from "../../src/llm/mode.js";

describe("execution mode", () => {
  it("defaults to THINK (slot 3)", () => {
    expect(resolveMode({})).toEqual({ mode: "think", source: "LLM_EXEC_SLOT unset (default 3, THINK)" });
    expect(resolveMode({ LLM_EXEC_SLOT: "" }).mode).toBe("think");
  });

  it.each([
    ["0", "api"],
    ["3", "think"],
    ["4", "agent"],
    [" 4 ", "agent"],
  ])("LLM_EXEC_SLOT=%j is %s", (slot, mode) => {
    expect(resolveMode({ LLM_EXEC_SLOT: slot }).mode).toBe(mode);
  });

  it.each(["1", "2", "5", "api", "-1"])("refuses LLM_EXEC_SLOT=%s", (slot) => {
    expect(() => resolveMode({ LLM_EXEC_SLOT: slot })).toThrow(
      `LLM_EXEC_SLOT=${slot}: expected 0 (API), 3 (THINK) or 4 (AGENT)`,
    );
  });

  it("refuses LLM_MODE under lockdown (the default)", () => {
    for (const mode of ["api", "agent", "think"]) {
      expect(() => resolveMode({ LLM_MODE: mode })).toThrow(ConfigError);
      expect(() => resolveMode({ LLM_MODE: mode, LLM_EXEC_SLOT: "3" })).toThrow(
        /is refused while lockdown is on/,
      );
      expect(() => resolveMode({ LLM_MODE: mode, HANDOFF_EMERGENCY_OVERRIDE: "0" })).toThrow(
        /HANDOFF_EMERGENCY_OVERRIDE=1/,
      );
    }
  });

  it("accepts LLM_MODE with HANDOFF_EMERGENCY_OVERRIDE=1 or lockdown off, over LLM_EXEC_SLOT", () => {
    expect(resolveMode({ LLM_MODE: "api", LLM_EXEC_SLOT: "3", HANDOFF_EMERGENCY_OVERRIDE: "1" })).toEqual({
      mode: "api",
      source: "LLM_MODE=api (emergency override)",
    });
    expect(resolveMode({ LLM_MODE: "agent", HANDOFF_LOCKDOWN: "0" }).mode).toBe("agent");
    expect(resolveMode({ LLM_MODE: "think", LLM_EXEC_SLOT: "0", HANDOFF_EMERGENCY_OVERRIDE: "1" }).mode).toBe(
      "think",
    );
    expect(() => resolveMode({ LLM_MODE: "cloud", HANDOFF_EMERGENCY_OVERRIDE: "1" })).toThrow(
      /LLM_MODE=cloud: expected api, agent or think/,
    );
  });
});

describe("targeting", () => {
  it("intercepts every task when no list is set", () => {
    expect(isTargeted("any", {})).toBe(true);
  });

  it("intercepts only allow-listed tasks when an allow list is set", () => {
    const env = { LLM_AGENT_TASKS: "a, b", LLM_AGENT_TASK_PREFIXES: "script_" };
    expect(isTargeted("a", env)).toBe(true);
    expect(isTargeted("b", env)).toBe(true);
    expect(isTargeted("ab", env)).toBe(false);
    expect(isTargeted("script_x", env)).toBe(true);
    expect(isTargeted("c", env)).toBe(false);
    expect(isTargeted("a", { LLM_AGENT_TASKS: "a" })).toBe(true);
    expect(isTargeted("p.x", { LLM_AGENT_TASK_PREFIXES: "p." })).toBe(true);
    expect(isTargeted("q.x", { LLM_AGENT_TASK_PREFIXES: "p." })).toBe(false);
  });

  it("lets block lists win over allow lists", () => {
    const env = {
      LLM_AGENT_TASK_PREFIXES: "script_",
      LLM_AGENT_EXCLUDE_TASKS: "script_keep",
      LLM_AGENT_EXCLUDE_PREFIXES: "script_api_",
    };
    expect(isTargeted("script_x", env)).toBe(true);
    expect(isTargeted("script_keep", env)).toBe(false);
    expect(isTargeted("script_api_1", env)).toBe(false);
    expect(isTargeted("other", { LLM_AGENT_EXCLUDE_TASKS: "other,x" })).toBe(false);
    expect(isTargeted("y", { LLM_AGENT_EXCLUDE_TASKS: "other,x" })).toBe(true);
  });

  it("routes: API mode never intercepts; THINK/AGENT intercept targeted tasks only", () => {
    expect(routeTask("a", { LLM_EXEC_SLOT: "0", LLM_AGENT_TASKS: "a" })).toMatchObject({
      mode: "api",
      intercept: false,
    });
    expect(routeTask("a", { LLM_EXEC_SLOT: "4" })).toMatchObject({ mode: "agent", intercept: true });
    const skipped = routeTask("b", { LLM_AGENT_TASKS: "a" });
    expect(skipped).toMatchObject({ mode: "think", intercept: false });
    expect(skipped.reason).toMatch(/not targeted .* goes to the API/);
  });
});
