/* eslint-disable @typescript-eslint/no-explicit-any -- the GopherJS AST is untyped; ast.ts narrows it. */
import { createRequire } from "node:module";

/** A node of mvdan/sh's syntax tree as exposed by the `mvdan-sh` package (Go struct fields). */
export type ShNode = Record<string, any>;

/** The subset of `mvdan-sh`'s `syntax` package that the policy uses. */
export interface ShSyntax {
  NewParser(...options: unknown[]): { Parse(source: string, name: string): ShNode };
  NodeType(node: ShNode): string;
  Walk(node: ShNode, visit: (node: ShNode | null) => boolean): void;
}

/** Redirection operator codes, learnt from the parser itself (see `calibrate`). */
export interface RedirOps {
  /** Operators that open their word for writing: `>`, `>>`, `>|`, `<>`, `&>`, `&>>`. */
  write: Set<number>;
  /** `>&` and `<&`: a file descriptor duplication unless the word is not a number (then `>&` writes). */
  dupOut: number;
  dupIn: number;
  /** Operators that only read: `<`, `<<`, `<<-`, `<<<`. */
  read: Set<number>;
}

export interface ShellParser {
  syntax: ShSyntax;
  ops: RedirOps;
  /** Parses a whole script (bash dialect). Throws `ShellSyntaxError` when it cannot. */
  parse(source: string): ShNode;
}

export class ShellSyntaxError extends Error {}

let loaded: ShellParser | undefined;

/**
 * Loads mvdan/sh (through `mvdan-sh`) once. The hook bundle may preload it with a V8 code cache and
 * hand it over through `globalThis.__handoffShSyntax`; everything else requires the package.
 */
export function loadShellParser(): ShellParser {
  if (loaded) return loaded;
  const preloaded = (globalThis as { __handoffShSyntax?: ShSyntax }).__handoffShSyntax;
  const syntax: ShSyntax =
    preloaded ?? (createRequire(import.meta.url)("mvdan-sh") as { syntax: ShSyntax }).syntax;
  const parser = syntax.NewParser();
  const parse = (source: string): ShNode => {
    try {
      return parser.Parse(source, "command");
    } catch (error) {
      // GopherJS throws Go error values: `Error()` gives "line:col: message".
      const text =
        error && typeof (error as any).Error === "function" ? String((error as any).Error()) : String(error);
      throw new ShellSyntaxError(text);
    }
  };
  loaded = { syntax, ops: calibrate(syntax, parse), parse };
  return loaded;
}

/**
 * The package exposes operators as Go integer constants. Rather than hard-code numbers that could
 * shift between builds, parse one example of each operator and read the codes back.
 */
function calibrate(syntax: ShSyntax, parse: (s: string) => ShNode): RedirOps {
  const codeOf = (source: string): number => {
    const file = parse(source);
    const op = file.Stmts[0]?.Redirs[0]?.Op;
    if (typeof op !== "number") throw new Error(`mvdan-sh: cannot read redirection operator of ${source}`);
    return op;
  };
  void syntax;
  return {
    write: new Set([">a", ">>a", ">|a", "<>a", "&>a", "&>>a"].map((op) => codeOf(`x ${op}`))),
    dupOut: codeOf("x >&2"),
    dupIn: codeOf("x <&0"),
    read: new Set([codeOf("x <a"), codeOf("x <<<a"), codeOf("x <<E\nE\n"), codeOf("x <<-E\nE\n")]),
  };
}
