import { describe, expect, it } from "vitest";
import { RESERVED_FLAGS } from "../../src/agents/checks.js";
import { buildProgram } from "../../src/cli/main.js";

describe("handoff run flags", () => {
  it("reserves every option of run and cleanrun so an agent parameter cannot shadow one", () => {
    const program = buildProgram();
    for (const name of ["run", "cleanrun"]) {
      const command = program.commands.find((c) => c.name() === name);
      expect(command, name).toBeDefined();
      const flags = command!.options.map((o) => o.long).filter((f): f is string => Boolean(f));
      expect(flags.length).toBeGreaterThan(10);
      const unreserved = flags.filter((f) => f !== "--max-iterations" && !RESERVED_FLAGS.has(f));
      expect(unreserved, `${name} options missing from RESERVED_FLAGS`).toEqual([]);
    }
  });
});
