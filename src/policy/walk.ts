import type { ShNode, ShellParser } from "./shell.js";
import { type ResolvedWord, resolveWord } from "./words.js";

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

export interface Script {
  commands: SimpleCommand[];
  writes: WriteRedirect[];
  findings: Finding[];
}

/** Arithmetic may only hold plain numbers: a variable reference can run code (`a[$(cmd)]`). */
const NUMBER = /^(0[xX][0-9a-fA-F]+|[0-9]+(#[0-9A-Za-z@_]+)?)$/;

/** Walks every statement of a parsed script and collects what the policy must check. */
export function walkScript(shell: ShellParser, file: ShNode, source: string): Script {
  const { syntax, ops } = shell;
  const script: Script = { commands: [], writes: [], findings: [] };
  const offset = (node: ShNode, which: "Pos" | "End"): number => Number(node[which]().Offset());
  // Positions are byte offsets into the UTF-8 source.
  const bytes = Buffer.from(source, "utf8");
  const slice = (start: number, end: number): string => bytes.subarray(start, end).toString("utf8");
  const text = (node: ShNode): string => slice(offset(node, "Pos"), offset(node, "End"));
  const word = (node: ShNode): ResolvedWord => {
    visitWordInner(node);
    return resolveWord(syntax, node);
  };

  const arithmetic = (node: ShNode | null, where: string): void => {
    if (!node) return;
    let unsafe = false;
    syntax.Walk(node, (inner) => {
      if (!inner) return true;
      const type = syntax.NodeType(inner);
      if (type === "CmdSubst" || type === "ProcSubst") {
        substitution(inner);
        return false;
      }
      if (type === "ParamExp") unsafe = true;
      if (type === "Lit" && !NUMBER.test(String(inner.Value))) unsafe = true;
      return true;
    });
    if (unsafe) {
      script.findings.push({
        rule: "arithmetic",
        reason: `arithmetic with variables (${where}) can assign or run code through array subscripts`,
      });
    }
  };

  const substitution = (node: ShNode): void => {
    const kind = syntax.NodeType(node) === "ProcSubst" ? "process substitution" : "command substitution";
    script.findings.push({
      rule: "substitution",
      kind: "substitution",
      reason: `${kind} \`${text(node)}\` runs a command whose output the policy cannot know`,
    });
    stmts(node.Stmts, true);
  };

  /** Finds substitutions and arithmetic nested anywhere in a word (`${x:-$(cmd)}`, `"a$((i++))"`). */
  const visitWordInner = (node: ShNode | null): void => {
    if (!node) return;
    syntax.Walk(node, (inner) => {
      if (!inner) return true;
      const type = syntax.NodeType(inner);
      if (type === "CmdSubst" || type === "ProcSubst") {
        substitution(inner);
        return false;
      }
      if (type === "ArithmExp") {
        arithmetic(inner.X, text(inner));
        return false;
      }
      return true;
    });
  };

  const stmts = (list: ShNode[] | null | undefined, repeated: boolean): void => {
    for (const stmt of list ?? []) statement(stmt, repeated);
  };

  const statement = (stmt: ShNode, repeated: boolean): void => {
    for (const redirect of stmt.Redirs ?? []) redirection(redirect);
    if (stmt.Cmd) command(stmt.Cmd, repeated);
  };

  const redirection = (redirect: ShNode): void => {
    const op = Number(redirect.Op);
    if (redirect.Hdoc) visitWordInner(redirect.Hdoc);
    const target = word(redirect.Word);
    if (ops.write.has(op) || (op === ops.dupOut && !/^([0-9]+|-)$/.test(target.text))) {
      script.writes.push({ target, source: text(redirect) });
    } else if (!ops.read.has(op) && op !== ops.dupIn && op !== ops.dupOut) {
      script.findings.push({
        rule: "unsupported-syntax",
        reason: `unknown redirection \`${text(redirect)}\``,
      });
    }
  };

  const assign = (node: ShNode): { name: string; value: ResolvedWord | null } => {
    if (node.Index) arithmetic(node.Index, text(node));
    if (node.Array) {
      for (const element of node.Array.Elems ?? []) {
        if (element.Index) arithmetic(element.Index, text(node));
        if (element.Value) word(element.Value);
      }
    }
    return { name: node.Name ? String(node.Name.Value) : "", value: node.Value ? word(node.Value) : null };
  };

  const command = (cmd: ShNode, repeated: boolean): void => {
    const type = syntax.NodeType(cmd);
    switch (type) {
      case "CallExpr": {
        const assigns: SimpleCommand["assigns"] = (cmd.Assigns ?? []).map(assign);
        const words: ResolvedWord[] = (cmd.Args ?? []).map(word);
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
        if (cmd.Else) command(cmd.Else, repeated);
        return;
      case "WhileClause":
        stmts(cmd.Cond, true);
        stmts(cmd.Do, true);
        return;
      case "ForClause": {
        const loop = cmd.Loop;
        if (syntax.NodeType(loop) === "WordIter") {
          for (const item of loop.Items ?? []) word(item);
        } else {
          arithmetic(loop.Init, "for ((…))");
          arithmetic(loop.Cond, "for ((…))");
          arithmetic(loop.Post, "for ((…))");
        }
        stmts(cmd.Do, true);
        return;
      }
      case "CaseClause":
        word(cmd.Word);
        for (const item of cmd.Items ?? []) {
          for (const pattern of item.Patterns ?? []) word(pattern);
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
        for (const expr of cmd.Exprs ?? []) arithmetic(expr, text(cmd));
        return;
      case "TestClause":
        testExpr(cmd.X);
        return;
      case "DeclClause": {
        const variant = String(cmd.Variant?.Value ?? "declare");
        const assigns: SimpleCommand["assigns"] = (cmd.Args ?? []).map(assign);
        const words: ResolvedWord[] = [{ text: variant, literal: true, pattern: false }];
        for (const a of assigns) if (!a.name && a.value) words.push(a.value);
        script.commands.push({ words, assigns: assigns.filter((a) => a.name), repeated, source: text(cmd) });
        return;
      }
      case "TimeClause":
      case "CoprocClause":
        if (cmd.Stmt) statement(cmd.Stmt, repeated);
        return;
      default:
        script.findings.push({ rule: "unsupported-syntax", reason: `unsupported shell construct ${type}` });
    }
  };

  const ARITHMETIC_TESTS = new Set(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]);
  const testExpr = (expr: ShNode | null): void => {
    if (!expr) return;
    const type = syntax.NodeType(expr);
    if (type === "Word") {
      word(expr);
    } else if (type === "BinaryTest") {
      // `[[ $x -eq 1 ]]` evaluates $x as arithmetic: `x='a[$(cmd)]'` would run cmd.
      const opText = slice(offset(expr.X, "End"), offset(expr.Y, "Pos")).trim();
      if (ARITHMETIC_TESTS.has(opText)) {
        const operands = [expr.X, expr.Y].filter((e) => syntax.NodeType(e) === "Word").map(word);
        if (operands.some((w) => !w.literal || !NUMBER.test(w.text))) {
          script.findings.push({
            rule: "arithmetic",
            reason: `arithmetic test \`${text(expr)}\` on a variable`,
          });
        }
      } else {
        testExpr(expr.X);
        testExpr(expr.Y);
      }
    } else if (type === "UnaryTest" || type === "ParenTest") {
      testExpr(expr.X);
    } else {
      script.findings.push({ rule: "unsupported-syntax", reason: `unsupported test expression ${type}` });
    }
  };

  stmts(file.Stmts, false);
  return script;
}
