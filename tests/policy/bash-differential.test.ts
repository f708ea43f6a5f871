// Differential test: the words the policy resolves (quotes, escapes, ANSI-C strings, comments, line
// continuations) must be the words real bash passes to the program. Lines the policy denies by
// themselves (a finding) are exempt: only what it would allow must match bash. Many generated commands
// run in one bash process that prints each command's argv.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadShellParser } from "../../src/policy/index.js";
import { walkScript } from "../../src/policy/walk.js";
import { withTempDir } from "../helpers/temp.js";

/** Pieces of words whose meaning does not depend on the environment (no expansions). */
const PIECES = [
  "a",
  "rm",
  "-rf",
  "x y",
  "'q'",
  '"d"',
  "'a b'",
  '"a b"',
  "\\ ",
  "\\'",
  '\\"',
  "\\\\",
  "\\;",
  "\\|",
  "\\&",
  "$'\\x72m'",
  "$'\\101\\n'",
  "$'\\u00e9'",
  // Non-ASCII: mvdan-sh returns UTF-8 bytes as Latin-1 characters; the policy must decode them.
  "é",
  "'日本'",
  '"ü"',
  "$'\\xc3\\xa9'",
  "$'\\u65e5'",
  "$'a\\tb'",
  "$'\\''",
  '"a\'b"',
  "'a\"b'",
  '"\\$x"',
  '"\\`"',
  '"a\\\\b"',
  '"a\\qb"',
  "\\\n",
  "''",
  '""',
  "#",
  "a#b",
  "=",
  "a=b",
  "%",
  ",",
  ":",
  "@",
  "+",
  "]",
  "'x'#",
  '"x"#y',
  "\\#",
  "{",
  "}",
  "!",
  "x!y",
  "\\{",
  "\\*",
  "\\?",
  "^",
  "-",
  "--",
];

const word = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }).map((p) => p.join(""));
const command = fc
  .array(word, { minLength: 1, maxLength: 4 })
  .map((words) => `p ${words.join(" ")}`)
  // A trailing line continuation would join what follows: keep commands apart.
  .map((c) => (c.endsWith("\\\n") ? `${c}a` : c));
/** One line: commands joined by list operators (every `p` succeeds, so `&&` runs them all). */
const line = fc
  .array(fc.tuple(command, fc.constantFrom("; ", " && ", "\n", " ;\n")), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([c, sep], i) => (i === parts.length - 1 ? c : c + sep)).join(""));

function bashArgv(lines: string[], cwd: string): string[][] {
  // `p` prints its arguments NUL-separated, then a record separator.
  const define = `p() { for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\036'; }`;
  const script = `${define}\n${lines.join("\n")}\n`;
  const result = spawnSync("bash", ["--norc", "--noprofile", "-c", script], {
    cwd, // an empty directory: globs match nothing and stay literal, as the policy reads them
    encoding: "utf8",
    env: { PATH: process.env.PATH, LC_ALL: "C.UTF-8" },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .split("\x1e")
    .slice(0, -1)
    .map((record) => record.split("\0").slice(0, -1));
}

/** The argv the policy sees for one line, or null when the policy denies the line by itself. */
async function policyArgv(l: string): Promise<string[][] | null> {
  const shell = await loadShellParser();
  const source = l;
  let script;
  try {
    script = walkScript(shell, shell.parse(source), source);
  } catch {
    return null; // parse-error: denied
  }
  if (script.findings.length) return null;
  if (script.commands.some((c) => c.words.some((w) => !w.literal || w.pattern))) return null;
  return script.commands.map((c) => c.words.slice(1).map((w) => w.text));
}

describe("word resolution matches bash", () => {
  it("resolves generated words exactly as bash does", async () => {
    await withTempDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 20, maxLength: 40 }), async (lines) => {
          const checked: string[] = [];
          const expected: string[][] = [];
          for (const l of lines) {
            const argv = await policyArgv(l);
            if (argv === null) continue;
            checked.push(l);
            expected.push(...argv);
          }
          if (checked.length === 0) return;
          expect(expected).toEqual(bashArgv(checked, dir));
        }),
        { numRuns: 150 },
      );
    });
  });
});
