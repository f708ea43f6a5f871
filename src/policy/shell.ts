/* eslint-disable @typescript-eslint/no-explicit-any -- the GopherJS AST is untyped; the accessors below (kind, list, startOf…) narrow it. */
/**
 * A node of mvdan/sh's syntax tree: the Go value itself, as GopherJS represents it. The package's
 * JavaScript wrappers convert whole sub-trees on every field access (hundreds of microseconds each),
 * so the policy reads the underlying Go structs: the same fields, slices as `$array/$offset/$length`.
 */
export type ShNode = Record<string, any>;

/** The subset of `mvdan-sh`'s `syntax` package that the policy uses. */
export interface ShSyntax {
  NewParser(...options: unknown[]): { Parse(source: string, name: string): ShNode };
}

/** The Go type of a node without its package (`CallExpr`), or null for a nil pointer or interface. */
export function kind(node: ShNode | null | undefined): string | null {
  if (node === null || node === undefined) return null;
  const ctor = node.constructor as { string?: unknown; nil?: unknown } | undefined;
  const type = ctor?.string;
  if (typeof type !== "string" || ctor!.nil === node) return null;
  return type.startsWith("*syntax.") ? type.slice(8) : type;
}

/** The elements of a Go slice. */
export function list(slice: ShNode | null | undefined): ShNode[] {
  if (!slice || (!Array.isArray(slice.$array) && !ArrayBuffer.isView(slice.$array))) return [];
  return Array.prototype.slice.call(slice.$array, slice.$offset, slice.$offset + slice.$length) as ShNode[];
}

/** Byte offsets of a node in the UTF-8 source. */
export function startOf(node: ShNode): number {
  return Number(node.Pos().offs);
}
export function endOf(node: ShNode): number {
  return Number(node.End().offs);
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
  /** `<<<`: its word is a string, not a file. */
  hereString: number;
  /** Parameter expansion operators that assign: `${x:=v}`, `${x=v}`. */
  assignExp: Set<number>;
}

export interface ShellParser {
  syntax: ShSyntax;
  ops: RedirOps;
  /** Parses a whole script (bash dialect) into its `File` node. Throws `ShellSyntaxError` when it cannot. */
  parse(source: string): ShNode;
}

export class ShellSyntaxError extends Error {}

/** The script is nested deeper than the parser's stack: `too-complex`, not a syntax error. */
export class ShellTooComplexError extends RangeError {}

let loaded: ShellParser | undefined;

/**
 * Loads mvdan/sh (the `mvdan-sh` package) once. A dynamic import keeps it out of every code path that
 * does not parse shell, and lets the hook bundle inline it as a lazily evaluated module.
 */
export async function loadShellParser(): Promise<ShellParser> {
  if (loaded) return loaded;
  const mod = (await import("mvdan-sh")) as { syntax?: ShSyntax; default?: { syntax: ShSyntax } };
  const syntax = mod.syntax ?? mod.default?.syntax;
  if (!syntax) throw new Error("mvdan-sh: the package has no `syntax` export");
  return initShellParser(syntax);
}

/** The parser loaded by `loadShellParser`, for synchronous callers that awaited it before. */
export function loadedShellParser(): ShellParser {
  if (!loaded) throw new Error("the shell parser is not loaded: await loadShellParser() first");
  return loaded;
}

function initShellParser(syntax: ShSyntax): ShellParser {
  if (loaded) return loaded;
  const parser = syntax.NewParser();
  const parse = (source: string): ShNode => {
    try {
      const file = parser.Parse(source, "command");
      const inner = file?.__internal_object__;
      if (kind(inner) !== "File") throw new Error("mvdan-sh: unexpected parse result");
      return inner;
    } catch (error) {
      // GopherJS throws Go error values: `Error()` gives "line:col: message".
      const text =
        error && typeof (error as any).Error === "function" ? String((error as any).Error()) : String(error);
      // GopherJS wraps a JavaScript stack overflow in its own panic: the input is too deep, not wrong.
      if (error instanceof RangeError || /Maximum call stack size exceeded/.test(text)) {
        throw new ShellTooComplexError("it is nested too deeply for the parser");
      }
      throw new ShellSyntaxError(text);
    }
  };
  loaded = { syntax, ops: calibrate(parse), parse };
  return loaded;
}

/**
 * The package exposes operators as Go integer constants. Rather than hard-code numbers that could
 * shift between builds, parse one example of each operator and read the codes back.
 */
function calibrate(parse: (s: string) => ShNode): RedirOps {
  const codeOf = (source: string): number => {
    const file = parse(source);
    const op = list(list(file.Stmts)[0]?.Redirs)[0]?.Op;
    if (typeof op !== "number") throw new Error(`mvdan-sh: cannot read redirection operator of ${source}`);
    return op;
  };
  return {
    write: new Set([">a", ">>a", ">|a", "<>a", "&>a", "&>>a"].map((op) => codeOf(`x ${op}`))),
    dupOut: codeOf("x >&2"),
    dupIn: codeOf("x <&0"),
    read: new Set([codeOf("x <a"), codeOf("x <<<a"), codeOf("x <<E\nE\n"), codeOf("x <<-E\nE\n")]),
    hereString: codeOf("x <<<a"),
    assignExp: new Set(
      ["${x:=a}", "${x=a}"].map((exp) => {
        const part = list(list(list(parse(`x ${exp}`).Stmts)[0]?.Cmd?.Args)[1]?.Parts)[0];
        const op = part?.Exp?.Op;
        if (typeof op !== "number") throw new Error(`mvdan-sh: cannot read expansion operator of ${exp}`);
        return op;
      }),
    ),
  };
}
