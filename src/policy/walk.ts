import { networkPath } from "./paths.js";
import { type ShNode, type ShellParser, endOf, kind, list, startOf } from "./shell.js";
import { type ResolvedWord, UNKNOWN_WORD, resolveWord } from "./words.js";

/** One simple command found anywhere in the script, in source order. */
export interface SimpleCommand {
  /** The words, resolved; wrappers are not unwrapped yet. */
  words: ResolvedWord[];
  /** `NAME=value` prefixes (and `export`/`declare` arguments). */
  assigns: { name: string; value: ResolvedWord | null }[];
  /** Inside a loop or a function body: may run more than once, in any directory. */
  repeated: boolean;
  /** Source text, for messages. */
  source: string;
}

/** A redirection that writes: its target word and source text. */
export interface WriteRedirect {
  target: ResolvedWord;
  source: string;
}

/** A construct that denies by itself (unless the policy allows it), found while walking. */
export interface Finding {
  /** The rule name the decision will carry: `substitution`, `arithmetic`, `unsupported-syntax`. */
  rule: string;
  reason: string;
  /** For substitutions: allowed when the policy says `allow_substitution` and it is not a program. */
  kind?: "substitution";
}

/** An assignment that is not a `NAME=value` prefix: a loop or `select` variable, `${NAME:=value}`. */
export interface ScriptAssignment {
  name: string;
  value: ResolvedWord;
  source: string;
}

export interface Script {
  commands: SimpleCommand[];
  writes: WriteRedirect[];
  findings: Finding[];
  /** Assignments made by the shell's own syntax, checked like `NAME=value` prefixes. */
  assigns: ScriptAssignment[];
}

/** Arithmetic may only hold plain numbers: a variable reference can run code (`a[$(cmd)]`). */
const NUMBER = /^(0[xX][0-9a-fA-F]+|[0-9]+(#[0-9A-Za-z@_]+)?)$/;
const ARITHMETIC_TESTS = new Set(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]);

/**
 * Walks every statement of a parsed script and collects what the policy must check. Every node type
 * is named here; one the walker does not know is reported as `unsupported-syntax` (and so denied).
 */
export function walkScript(shell: ShellParser, file: ShNode, source: string): Script {
  const { ops } = shell;
  const script: Script = { commands: [], writes: [], findings: [], assigns: [] };
  // Positions are byte offsets into the UTF-8 source.
  const bytes = Buffer.from(source, "utf8");
  const slice = (start: number, end: number): string => bytes.subarray(start, end).toString("utf8");
  const text = (node: ShNode): string => slice(startOf(node), endOf(node));
  const unsupported = (what: string): void => {
    script.findings.push({ rule: "unsupported-syntax", reason: `unsupported shell construct ${what}` });
  };

  /** Byte ranges the parser read as word parts or arithmetic: a `#` inside them is not a comment. */
  const covered: [number, number][] = [];
  const cover = (node: ShNode): void => {
    covered.push([startOf(node), endOf(node)]);
  };

  /** Resolves a word after checking everything nested in it. */
  const word = (node: ShNode): ResolvedWord => {
    for (const part of list(node.Parts)) {
      cover(part); // parts, not the whole word: a word's span can straddle what the parser took as a comment
      wordPart(part);
    }
    return resolveWord(node);
  };

  const wordPart = (part: ShNode): void => {
    switch (kind(part)) {
      case "Lit":
      case "SglQuoted":
        return;
      case "ExtGlob":
        // bash needs `shopt -s extglob` for these; in zsh `*(e:…:)` is a glob qualifier that runs code.
        script.findings.push({
          rule: "unsupported-syntax",
          reason: `extended glob \`${text(part)}\` (a zsh glob qualifier would run code)`,
        });
        return;
      case "DblQuoted":
        if (part.Dollar) {
          // `$"…"` is translated through the locale's message catalogue before expansion: bash may
          // run a string the policy never saw.
          script.findings.push({
            rule: "unsupported-syntax",
            reason: `locale translation \`${text(part)}\` replaces the string before bash expands it`,
          });
        }
        for (const inner of list(part.Parts)) wordPart(inner);
        return;
      case "ParamExp":
        paramExp(part);
        return;
      case "CmdSubst":
      case "ProcSubst":
        substitution(part);
        return;
      case "ArithmExp":
        arithmetic(part.X, text(part));
        return;
      case "BraceExp":
        for (const element of list(part.Elems)) word(element);
        return;
      default:
        unsupported(`${kind(part)} in a word`);
    }
  };

  const paramExp = (part: ShNode): void => {
    const shown = text(part);
    // `${!x}` with x='a[$(cmd)]' and `${x@P}` (prompt expansion) can run commands held in a variable.
    if (
      (part.Excl && list(part.Names).length === 0 && !/^\$\{!\w*[@*]\}$/.test(shown)) ||
      /@P\}$/.test(shown)
    ) {
      script.findings.push({
        rule: "substitution",
        reason: `\`${shown}\` can run a command held in a variable`,
      });
    }
    if (kind(part.Index)) arithmetic(part.Index, shown);
    if (kind(part.Slice)) {
      arithmetic(part.Slice.Offset, shown);
      arithmetic(part.Slice.Length, shown);
    }
    if (kind(part.Repl)) {
      if (kind(part.Repl.Orig)) word(part.Repl.Orig);
      if (kind(part.Repl.With)) word(part.Repl.With);
    }
    if (kind(part.Exp) && kind(part.Exp.Word)) word(part.Exp.Word);
    if (kind(part.Exp) && ops.assignExp.has(Number(part.Exp.Op)) && kind(part.Param)) {
      // `${HOME:=src}` assigns HOME when it is unset or empty.
      script.assigns.push({ name: String(part.Param.Value), value: UNKNOWN_WORD, source: shown });
    }
  };

  const substitution = (node: ShNode): void => {
    const what = kind(node) === "ProcSubst" ? "process substitution" : "command substitution";
    script.findings.push({
      rule: "substitution",
      kind: "substitution",
      reason: `${what} \`${text(node)}\` runs a command whose output the policy cannot know`,
    });
    stmts(node.Stmts, true);
  };

  const arithmetic = (node: ShNode | null, where: string): void => {
    if (!kind(node)) return;
    cover(node!);
    if (!arithmeticIsPlain(node!)) {
      script.findings.push({
        rule: "arithmetic",
        reason: `arithmetic with variables (\`${where}\`) can assign or run code through array subscripts`,
      });
    }
  };

  /** True when an arithmetic expression holds only numbers (nested substitutions are still walked). */
  const arithmeticIsPlain = (node: ShNode): boolean => {
    switch (kind(node)) {
      case "BinaryArithm":
        return arithmeticIsPlain(node.X) && arithmeticIsPlain(node.Y);
      case "UnaryArithm":
      case "ParenArithm":
        return arithmeticIsPlain(node.X);
      case "Word": {
        const resolved = word(node);
        return resolved.literal && NUMBER.test(resolved.text);
      }
      default:
        return false;
    }
  };

  const stmts = (slice: ShNode, repeated: boolean): void => {
    for (const stmt of list(slice)) statement(stmt, repeated);
  };

  const statement = (stmt: ShNode, repeated: boolean): void => {
    for (const redirect of list(stmt.Redirs)) redirection(redirect);
    if (kind(stmt.Cmd)) command(stmt.Cmd, repeated);
  };

  const redirection = (redirect: ShNode): void => {
    const op = Number(redirect.Op);
    if (kind(redirect.Hdoc)) {
      // A body line ending in a backslash: bash joins it with the next line before looking for the
      // delimiter, mvdan-sh does not, so they end the here-document at different lines (and a command
      // after it could hide inside the body the parser sees). Found by comparing with bash.
      const bodyStart = bytes.indexOf(0x0a, startOf(redirect)) + 1; // the body starts on the next line
      if (/(^|[^\\])(\\\\)*\\\n/.test(slice(bodyStart, endOf(redirect.Hdoc)))) {
        script.findings.push({
          rule: "parse-error",
          reason: "a here-document line ending in a backslash, where the parser and bash disagree on its end",
        });
      }
      word(redirect.Hdoc);
    }
    const target = word(redirect.Word);
    if (!kind(redirect.Hdoc) && op !== ops.hereString) {
      // A write to a path known only at run time is denied as a write; a read is checked here.
      const dup = op === ops.dupIn || op === ops.dupOut;
      const network = networkPath(target, dup || ops.write.has(op));
      if (network)
        script.findings.push({ rule: "network", reason: `redirection \`${text(redirect)}\` ${network}` });
    }
    if (ops.write.has(op) || (op === ops.dupOut && !/^([0-9]+|-)$/.test(target.text))) {
      script.writes.push({ target, source: text(redirect) });
    } else if (!ops.read.has(op) && op !== ops.dupIn && op !== ops.dupOut) {
      unsupported(`redirection \`${text(redirect)}\``);
    }
  };

  const assign = (node: ShNode): { name: string; value: ResolvedWord | null } => {
    if (kind(node.Index)) arithmetic(node.Index, text(node));
    if (kind(node.Array)) {
      for (const element of list(node.Array.Elems)) {
        if (kind(element.Index)) arithmetic(element.Index, text(node));
        if (kind(element.Value)) word(element.Value);
      }
    }
    return {
      name: kind(node.Name) ? String(node.Name.Value) : "",
      value: kind(node.Value) ? word(node.Value) : null,
    };
  };

  const command = (cmd: ShNode, repeated: boolean): void => {
    const type = kind(cmd);
    switch (type) {
      case "CallExpr": {
        const assigns = list(cmd.Assigns).map(assign);
        const words = list(cmd.Args).map(word);
        script.commands.push({ words, assigns, repeated, source: text(cmd) });
        return;
      }
      case "BinaryCmd":
        statement(cmd.X, repeated);
        statement(cmd.Y, repeated);
        return;
      case "Subshell":
      case "Block":
        stmts(cmd.Stmts, repeated);
        return;
      case "IfClause":
        stmts(cmd.Cond, repeated);
        stmts(cmd.Then, repeated);
        if (kind(cmd.Else)) command(cmd.Else, repeated);
        return;
      case "WhileClause":
        stmts(cmd.Cond, true);
        stmts(cmd.Do, true);
        return;
      case "ForClause": {
        const loop = cmd.Loop;
        if (kind(loop) === "WordIter") {
          // `for HOME in .` and `select HOME in .` assign HOME, once per item (or from $@ with no list).
          const items = list(loop.Items).map(word);
          const name = kind(loop.Name) ? String(loop.Name.Value) : "";
          const source = text(cmd).split("\n")[0]!;
          const values = items.length && !cmd.Select ? items : [UNKNOWN_WORD];
          for (const value of values) script.assigns.push({ name, value, source });
        } else if (kind(loop) === "CStyleLoop") {
          arithmetic(loop.Init, "for ((…))");
          arithmetic(loop.Cond, "for ((…))");
          arithmetic(loop.Post, "for ((…))");
        } else unsupported(`loop ${kind(loop)}`);
        stmts(cmd.Do, true);
        return;
      }
      case "CaseClause":
        word(cmd.Word);
        for (const item of list(cmd.Items)) {
          for (const pattern of list(item.Patterns)) word(pattern);
          stmts(item.Stmts, repeated);
        }
        return;
      case "FuncDecl":
        // The body is checked where it is defined: a function may be called any number of times.
        statement(cmd.Body, true);
        return;
      case "ArithmCmd":
        arithmetic(cmd.X, text(cmd));
        return;
      case "LetClause":
        for (const expr of list(cmd.Exprs)) arithmetic(expr, text(cmd));
        return;
      case "TestClause":
        // `[[ -v 'a[$(cmd)]' ]]` expands the subscript of the variable name, running cmd.
        if (/-[vR]\s/.test(text(cmd)) && /\[[^\]]*[$`]/.test(text(cmd).slice(2))) {
          script.findings.push({
            rule: "substitution",
            reason: `\`${text(cmd)}\` tests a variable whose subscript runs a command`,
          });
        }
        testExpr(cmd.X);
        return;
      case "DeclClause": {
        const variant = kind(cmd.Variant) ? String(cmd.Variant.Value) : "declare";
        const assigns = list(cmd.Args).map(assign);
        const words: ResolvedWord[] = [{ text: variant, literal: true, pattern: false }];
        for (const a of assigns) if (!a.name && a.value) words.push(a.value);
        script.commands.push({ words, assigns: assigns.filter((a) => a.name), repeated, source: text(cmd) });
        return;
      }
      case "CoprocClause":
        // `coproc c''url >/dev/null`: mvdan-sh reads `c''url` as the coprocess's name, bash runs it as
        // the command (a name only counts before a compound command). Found by the property test.
        if (kind(cmd.Name)) {
          unsupported(`\`coproc\` with a name (\`${text(cmd)}\`)`);
          return;
        }
        if (kind(cmd.Stmt)) statement(cmd.Stmt, repeated);
        return;
      case "TimeClause":
        if (kind(cmd.Stmt)) statement(cmd.Stmt, repeated);
        return;
      default:
        unsupported(String(type));
    }
  };

  const testExpr = (expr: ShNode): void => {
    switch (kind(expr)) {
      case "Word":
        word(expr);
        return;
      case "BinaryTest": {
        // `[[ $x -eq 1 ]]` evaluates $x as arithmetic: `x='a[$(cmd)]'` would run cmd.
        const op = slice(endOf(expr.X), startOf(expr.Y)).trim();
        if (ARITHMETIC_TESTS.has(op)) {
          const operands = [expr.X, expr.Y].filter((e) => kind(e) === "Word").map(word);
          if (operands.length < 2 || operands.some((w) => !w.literal || !NUMBER.test(w.text))) {
            script.findings.push({
              rule: "arithmetic",
              reason: `arithmetic test \`${text(expr)}\` on a variable`,
            });
          }
          return;
        }
        testExpr(expr.X);
        testExpr(expr.Y);
        return;
      }
      case "UnaryTest":
      case "ParenTest":
        testExpr(expr.X);
        return;
      default:
        unsupported(`test expression ${kind(expr)}`);
    }
  };

  stmts(file.Stmts, false);
  checkComments(bytes, covered, script);
  return script;
}

/** The byte before `at` once line continuations (backslash-newline, removed by bash first) are skipped. */
function previousByte(bytes: Buffer, at: number): { byte: number | undefined; index: number } {
  let i = at - 1;
  while (i >= 1 && bytes[i] === 0x0a) {
    let slashes = 0;
    while (i - 1 - slashes >= 0 && bytes[i - 1 - slashes] === 0x5c) slashes++;
    if (slashes % 2 === 0) break; // a real newline
    i -= 2;
  }
  return { byte: i >= 0 ? bytes[i] : undefined, index: i };
}

/** Bytes before a `#` after which bash, too, starts a comment. */
const COMMENT_START = new Set([..." \t\n;&|()<>"].map((c) => c.charCodeAt(0)));

/**
 * mvdan-sh (its last GopherJS build) and bash disagree about comments in two ways, both found by the
 * differential test against bash (tests/policy/bash-differential.test.ts):
 * - it reads `#` right after a closing quote or an expansion as the start of a comment; bash reads it as
 *   part of the word. In `ls "x"#; rm -rf /` the parser would see only `ls`, bash runs `rm` too. So every
 *   `#` outside the word parts the parser saw must start a comment for bash as well (follow a blank, a
 *   newline or an operator, and not directly a word part such as `$((1))`);
 * - it continues a comment that ends in a backslash onto the next line.
 * Either way the command is denied.
 */
function checkComments(bytes: Buffer, covered: [number, number][], script: Script): void {
  if (bytes.indexOf(0x23) < 0) return;
  // Linear in the input: a depth count per byte (from +1/-1 marks) and a mark where a part ends.
  const marks = new Int32Array(bytes.length + 1);
  const partEnds = new Uint8Array(bytes.length + 1);
  for (const [start, end] of covered) {
    marks[start]!++;
    marks[end]!--;
    partEnds[end] = 1;
  }
  const depth = new Int32Array(bytes.length);
  for (let i = 0, d = 0; i < bytes.length; i++) depth[i] = d += marks[i]!;
  for (let at = bytes.indexOf(0x23); at >= 0; at = bytes.indexOf(0x23, at + 1)) {
    if (depth[at]! > 0) continue;
    const { byte: before, index } = previousByte(bytes, at);
    // Right after a word part (`$((1))#`, `"x"#`) the `#` belongs to the same word for bash.
    const afterPart = index + 1 >= 0 && partEnds[index + 1] === 1;
    if (afterPart || (before !== undefined && !COMMENT_START.has(before))) {
      script.findings.push({
        rule: "parse-error",
        reason: "a `#` inside a word, which the parser reads as a comment but bash does not",
      });
      return;
    }
    // A real comment. mvdan-sh continues one that ends in a backslash onto the next line (as words of
    // the command before it); bash ends it at the newline and runs the next line as its own command.
    const newline = bytes.indexOf(0x0a, at);
    if (newline > 0 && bytes[newline - 1] === 0x5c) {
      script.findings.push({
        rule: "parse-error",
        reason:
          "a comment that ends in a backslash, which the parser continues onto the next line but bash does not",
      });
      return;
    }
    // The rest of the line is the comment: its own `#`s need no second look (and no second scan).
    if (newline < 0) return;
    at = newline;
  }
}
