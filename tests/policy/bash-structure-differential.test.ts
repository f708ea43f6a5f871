// Differential test of structure: every command real bash runs must be a command the policy saw.
// Generated scripts call only names that do not exist; bash's command_not_found_handle records each
// one it runs. Scripts the policy denies by themselves (parse errors, findings) are exempt.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadShellParser } from "../../src/policy/index.js";
import { programName } from "../../src/policy/program.js";
import { unwrap } from "../../src/policy/unwrap.js";
import { walkScript } from "../../src/policy/walk.js";
import { withTempDir } from "../helpers/temp.js";

const NAMES = ["qa", "qb", "qc", "qd"];
const TOKENS = [
  ...NAMES,
  ...NAMES,
  "x",
  "'y z'",
  '"w"',
  "\\",
  "\\\n",
  "\n",
  " ",
  " ",
  " ",
  ";",
  "&&",
  "||",
  "|",
  "&",
  "(",
  ")",
  "{",
  "}",
  "!",
  "#",
  "'",
  '"',
  "$'q\\x61'",
  ">/dev/null",
  "2>&1",
  "<<E\nqa\nE\n",
  "if",
  "then",
  "fi",
  "do",
  "done",
  "while",
  "for",
  "in",
  "case",
  "esac",
  ")",
  ";;",
  "time",
  "coproc",
  "function",
  "()",
  "[[",
  "]]",
  "=",
  // here-documents whose ends bash and the parser might place differently
  "<<E\nqb\nE\n",
  "<<E\n\\\nE\nqc\nE\n",
  "<<-E\n\tqb\n\tE\n",
  "<<'E'\nqb\\\nE\n",
  "<<E\nqb\nE \nqc\nE\n",
];

const tokenSoup = fc
  .array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 14 })
  .map((t) => t.join(" "));

/** Well-formed commands with tricky words, joined and nested, so that more scripts parse. */
const TRICKY = [
  "x",
  "'a b'",
  '"c#"',
  "d#",
  "'e'#f",
  "\\#",
  "#",
  "\\\n",
  "$'\\x71b'",
  '"\\"',
  "\\'",
  "2>/dev/null",
  "$((1))#",
  "$((2))x#y",
  "${#}#",
  "a\\\n#",
  "'q'\\\n#",
  "{a,b}#",
  "x=(#)",
];
const simple = fc
  .tuple(fc.constantFrom(...NAMES), fc.array(fc.constantFrom(...TRICKY), { maxLength: 3 }))
  .map(([name, args]) => [name, ...args].join(" "));
const OPERATORS = [" ; ", " && ", " || ", " | ", " & ", "\n", " ;\n", " |& "];
const structured = fc
  .array(fc.tuple(simple, fc.constantFrom(...OPERATORS)), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.map(([c, op], i) => (i === parts.length - 1 ? c : c + op)).join(""))
  .chain((body) =>
    fc.constantFrom(
      body,
      `( ${body} )`,
      `{ ${body}; }`,
      `if qa; then ${body}; fi`,
      `f() { ${body}; }; f`,
      `! ${body}`,
    ),
  );

const script = fc.oneof(tokenSoup, structured);

/** Program names the policy would check, or null when it denies the script by itself. */
async function seenPrograms(source: string): Promise<Set<string> | null> {
  const shell = await loadShellParser();
  let walked;
  try {
    walked = walkScript(shell, shell.parse(source), source);
  } catch {
    return null;
  }
  if (walked.findings.length) return null;
  const seen = new Set<string>();
  for (const c of walked.commands) {
    const { argv, denial } = unwrap(c.words);
    if (denial || (c.words.length > 0 && programName(c.words[0]) === null)) return null; // denied
    const name = programName(argv[0]);
    if (argv.length > 0 && name === null) return null;
    if (name) seen.add(name);
  }
  return seen;
}

function ranByBash(source: string, cwd: string): string[] {
  // NUL-separated: a command name may contain newlines. The blank line keeps a trailing backslash in
  // the script from joining the `wait` that collects background commands.
  const prelude = "command_not_found_handle() { printf '%s\\0' \"$1\" >> ran.txt; return 127; }\n";
  spawnSync("bash", ["--norc", "--noprofile", "-c", `${prelude}${source}\n\nwait`], {
    cwd,
    encoding: "utf8",
    timeout: 5_000,
    env: { PATH: "/usr/bin:/bin", LC_ALL: "C.UTF-8" },
  });
  const result = spawnSync("cat", ["ran.txt"], { cwd, encoding: "utf8" });
  spawnSync("rm", ["-f", "ran.txt"], { cwd });
  return result.stdout.split("\0").filter(Boolean);
}

describe("command structure matches bash", () => {
  it("never lets bash run a command the policy did not see", async () => {
    await withTempDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(script, async (source) => {
          const seen = await seenPrograms(source);
          if (seen === null) return;
          for (const ran of ranByBash(source, dir)) {
            expect(seen.has(ran), `bash ran ${JSON.stringify(ran)} in ${JSON.stringify(source)}`).toBe(true);
          }
        }),
        { numRuns: 400 },
      );
    });
  });
});
