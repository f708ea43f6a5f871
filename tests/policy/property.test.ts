// Property tests: whatever wraps, quotes or surrounds a denied program, the command is denied; and
// commands built only from allowed pieces stay allowed (so the first property cannot pass by denying
// everything).
import fc from "fast-check";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type Policy, decide, loadPolicy, parsePolicy } from "../../src/policy/index.js";

const CWD = fileURLToPath(new URL("../..", import.meta.url));
let policy: Policy;
beforeAll(async () => {
  policy = await loadPolicy(fileURLToPath(new URL("../../policies/readonly-dev.yaml", import.meta.url)));
});

const DENIED = ["rm", "shred", "dd", "chmod", "mv", "curl", "python3", "git"];

/** Ways to spell a program name that a shell resolves to the same program. */
function spellings(name: string): fc.Arbitrary<string> {
  const [head, tail] = [name.slice(0, 1), name.slice(1)];
  const hex = [...name].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join("");
  return fc.constantFrom(
    name,
    `'${name}'`,
    `"${name}"`,
    `${head}''${tail}`,
    `${head}""${tail}`,
    `\\${name}`,
    `${head}\\${tail}`,
    `/bin/${name}`,
    `/usr/bin/${name}`,
    `//usr//bin//${name}`,
    `$'${name}'`,
    `$'${hex}'`,
    `"${head}"${tail}`,
    `${head}'${tail}'`,
  );
}

const WRAPPERS = fc.constantFrom(
  "",
  "env ",
  "env -i ",
  "env A=1 B=2 ",
  "env -u HOME ",
  "command ",
  "command -p ",
  "exec ",
  "nohup ",
  "nice ",
  "nice -n 5 ",
  "timeout 5 ",
  "timeout -s KILL 5s ",
  "timeout --kill-after=1 5 ",
  "stdbuf -o0 ",
  "stdbuf -oL -eL ",
  "time ",
  "time -p ",
  "xargs ",
  "xargs -0 ",
  "xargs -I{} ",
  "xargs -n 1 -P 4 ",
  "sudo ",
  "sudo -u root -E ",
  "nice timeout 5 env ",
  "command env -i nohup ",
);

/** Arguments after the program. */
const ARGS = fc.array(
  fc.constantFrom("-rf", "x", "'a b'", "--", "-f", "status.txt", '"$HOME"', "*.log", "/"),
  {
    maxLength: 3,
  },
);

const deniedProgram = fc
  .constantFrom(...DENIED)
  .chain((name) => spellings(name).map((spelled) => ({ name, spelled })));

const deniedSimple = fc.tuple(WRAPPERS, deniedProgram, ARGS).map(([wrapper, { name, spelled }, args]) => {
  // git itself is allowed for status and diff: use a subcommand the policy does not allow.
  const rest = name === "git" ? ["push", ...args] : args;
  return [wrapper + spelled, ...rest].join(" ");
});

const ALLOWED_SIMPLE = [
  "ls",
  "ls -la src",
  "git status",
  "git diff --stat",
  "cat README.md",
  "head -5 README.md",
  "npm test",
];
const allowedSimple = fc.constantFrom(...ALLOWED_SIMPLE);
const SEPARATORS = [" ; ", " && ", " || ", " | ", " & ", "\n", " |& "];

/** Puts `inner` somewhere a shell will run it. */
function surround(inner: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(inner),
    fc.tuple(allowedSimple, fc.constantFrom(...SEPARATORS)).map(([a, s]) => `${a}${s}${inner}`),
    fc.tuple(allowedSimple, fc.constantFrom(...SEPARATORS)).map(([a, s]) => `${inner}${s}${a}`),
    fc.constant(`( ${inner} )`),
    fc.constant(`{ ${inner}; }`),
    fc.constant(`! ${inner}`),
    fc.constant(`if ls; then ${inner}; fi`),
    fc.constant(`if ${inner}; then ls; else ls; fi`),
    fc.constant(`while git status; do ${inner}; done`),
    fc.constant(`for f in a b; do ${inner}; done`),
    fc.constant(`case x in x) ${inner};; esac`),
    fc.constant(`f() { ${inner}; }`),
    fc.constant(`ls $(${inner})`),
    fc.constant(`cat <(${inner})`),
    fc.constant(`# comment\n${inner}`),
    fc.constant(`${inner} > /dev/null 2>&1`),
    fc.constant(`time ${inner}`),
    fc.constant(`coproc ${inner}`),
  );
}

/** Nested a few times. */
const deniedCommand = deniedSimple.chain(surround).chain(surround);

describe("policy properties", () => {
  it("never allows a command with a denied program in any simple command", async () => {
    await fc.assert(
      fc.asyncProperty(deniedCommand, async (command) => {
        const decision = await decide(policy, command, { cwd: CWD });
        expect(decision.allowed, `${JSON.stringify(command)} → ${decision.rule}`).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it("never allows a write redirection outside the working directory", async () => {
    const outside = fc.oneof(
      fc.constantFrom(
        "/etc/passwd",
        "/tmp/x",
        "/",
        "../x",
        "../../etc/x",
        "src/../../x",
        "~/x",
        "$HOME/x",
        "$(pwd)/x",
      ),
      fc.stringMatching(/^\/[a-z]{1,8}(\/[a-z.]{1,8}){0,3}$/).filter((p) => !p.startsWith("/dev")),
    );
    const quoting = fc.constantFrom(
      (p: string) => p,
      (p: string) => `"${p}"`,
      (p: string) => `'${p}'`,
    );
    const operator = fc.constantFrom(">", ">>", ">|", "&>", "&>>", "<>", "2>", "1>>", ">&");
    const command = fc
      .tuple(allowedSimple, operator, outside, quoting, fc.boolean())
      // Quoted, `~/x` is a file named `~` inside the tree, and `'$HOME/x'` a literal relative path.
      .filter(([, , path, quote]) => {
        const quoted = quote(path);
        return (
          !(path.startsWith("~") && quoted !== path) && !(path.startsWith("$") && quoted.startsWith("'"))
        );
      })
      .map(([c, op, path, quote, prefix]) =>
        prefix ? `${op}${quote(path)} ${c}` : `${c} ${op} ${quote(path)}`,
      );
    await fc.assert(
      fc.asyncProperty(command, async (c) => {
        const decision = await decide(policy, c, { cwd: CWD });
        expect(decision.allowed, `${JSON.stringify(c)} → ${decision.rule}`).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("never allows a write into .git, however the path is spelled", async () => {
    const segment = fc.constantFrom(
      ".git",
      ".gi?",
      ".g*t",
      ".?it",
      ".g*",
      ".*t",
      "./.git",
      "src/../.git",
      ".GIT",
      ".g?t",
    );
    const rest = fc.constantFrom("config", "hooks/pre-commit", "HEAD", "info/exclude");
    const op = fc.constantFrom(">", ">>", ">|", "&>", "2>");
    const command = fc.oneof(
      fc.tuple(op, segment, rest).map(([o, s, r]) => `ls ${o} ${s}/${r}`),
      fc.tuple(segment, rest).map(([s, r]) => `git diff --output ${s}/${r}`),
      fc.tuple(segment, rest).map(([s, r]) => `git diff --output=${s}/${r}`),
    );
    const writer = parsePolicy(
      { allow: [{ program: "ls" }, { program: "git", subcommand: "diff" }] },
      "writer policy",
    );
    await fc.assert(
      fc.asyncProperty(command, async (c) => {
        const decision = await decide(writer, c, { cwd: CWD });
        expect(decision.allowed, `${JSON.stringify(c)} → ${decision.rule}`).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it("never allows a config- or output-redirecting variable, however it is assigned", async () => {
    const name = fc.constantFrom(
      "HOME",
      "XDG_CONFIG_HOME",
      "XDG_DATA_HOME",
      "GIT_TRACE",
      "GIT_TRACE2_EVENT",
      "GIT_DIR",
      "GIT_INDEX_FILE",
      "NODE_V8_COVERAGE",
      "NODE_REDIRECT_WARNINGS",
      "NODE_OPTIONS",
      "npm_config_script_shell",
      "PYTHONSTARTUP",
      "LD_PRELOAD",
      "BASH_ENV",
      "GLOBIGNORE",
      "TMPDIR",
      "CARGO_HOME",
      "GOFLAGS",
      "MYAPP_CONFIG",
    );
    const how = fc.constantFrom(
      (n: string) => `${n}=x git status`,
      (n: string) => `env ${n}=x git status`,
      (n: string) => `export ${n}=x; git status`,
      (n: string) => `for ${n} in x; do git status; done`,
      (n: string) => `select ${n} in x; do git status; done`,
      (n: string) => `read ${n} < x; git status`,
      (n: string) => `printf -v ${n} x; git status`,
      (n: string) => `: \${${n}:=x}; git status`,
      (n: string) => `declare ${n}=x; git status`,
    );
    const assigning = parsePolicy(
      {
        allow: [
          { program: "git", subcommand: "status" },
          { program: "read" },
          { program: "printf" },
          { program: ":" },
        ],
      },
      "assigning policy",
    );
    await fc.assert(
      fc.asyncProperty(name, how, async (n, h) => {
        const c = h(n);
        const decision = await decide(assigning, c, { cwd: CWD });
        expect(decision.allowed, `${JSON.stringify(c)} → ${decision.rule}`).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("answers every input with a decision, never an exception", async () => {
    const shellish = fc.array(
      fc.constantFrom(
        "ls",
        "rm",
        " ",
        "'",
        '"',
        "$",
        "(",
        ")",
        "{",
        "}",
        "`",
        "\\",
        "\n",
        ";",
        "|",
        "&",
        "<",
        ">",
        "#",
        "*",
        "=",
        "[[",
        "]]",
        "((",
        "))",
        "$'",
        "<<",
        "EOF",
        "x",
        "~",
        "!",
        "@",
        "%",
      ),
      { maxLength: 30 },
    );
    const input = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      shellish.map((parts) => parts.join("")),
    );
    await fc.assert(
      fc.asyncProperty(input, async (command) => {
        const decision = await decide(policy, command, { cwd: CWD });
        expect(typeof decision.allowed).toBe("boolean");
        expect(decision.rule.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it("allows commands built only from allowed simple commands", async () => {
    const allowedCommand = fc
      .array(fc.tuple(allowedSimple, fc.constantFrom(" ; ", " && ", " || ", " | ", "\n")), {
        minLength: 1,
        maxLength: 5,
      })
      .map((parts) => parts.map(([c, s]) => c + s).join("") + "ls");
    await fc.assert(
      fc.asyncProperty(allowedCommand, async (command) => {
        const decision = await decide(policy, command, { cwd: CWD });
        expect(decision.allowed, `${JSON.stringify(command)} → ${decision.reason}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
