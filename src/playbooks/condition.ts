import { ConfigError } from "../errors.js";

/**
 * The condition language of playbook steps, small on purpose and evaluated without `eval`:
 *
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | primary
 *   primary := "(" expr ")" | NAME | NAME ("==" | "!=") VALUE
 *   VALUE   := word | 'single quoted' | "double quoted"
 *
 * Variables come from `--var name=value`. An unset variable is the empty string. A bare `NAME` is true
 * unless its value is empty, `false`, `0`, `no` or `off` (any case). Comparisons are exact string matches.
 */
export type Condition =
  | { kind: "or" | "and"; left: Condition; right: Condition }
  | { kind: "not"; operand: Condition }
  | { kind: "var"; name: string }
  | { kind: "compare"; op: "==" | "!="; name: string; value: string };

type Token =
  | { type: "word"; text: string; col: number }
  | { type: "string"; text: string; col: number }
  | { type: "op"; text: "==" | "!=" | "(" | ")"; col: number };

const KEYWORDS = new Set(["and", "or", "not"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const WORD_CHAR = /[A-Za-z0-9_.\-/:+@]/;
const FALSY = new Set(["", "false", "0", "no", "off"]);

function fail(source: string, message: string): never {
  throw new ConfigError(`condition "${source}": ${message}`);
}

const HINTS: Record<string, string> = {
  "&": "use 'and'",
  "|": "use 'or'",
  "!": "use 'not' or '!='",
  "=": "use '==' to compare",
};

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const col = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (source.startsWith("==", i) || source.startsWith("!=", i)) {
      tokens.push({ type: "op", text: source.slice(i, i + 2) as "==" | "!=", col });
      i += 2;
    } else if (ch === "(" || ch === ")") {
      tokens.push({ type: "op", text: ch, col });
      i++;
    } else if (ch === "'" || ch === '"') {
      let text = "";
      let j = i + 1;
      for (; j < source.length && source[j] !== ch; j++) {
        if (source[j] === "\\" && j + 1 < source.length) j++;
        text += source[j];
      }
      if (j >= source.length) fail(source, `unterminated string starting at column ${col}`);
      tokens.push({ type: "string", text, col });
      i = j + 1;
    } else if (WORD_CHAR.test(ch)) {
      let j = i;
      while (j < source.length && WORD_CHAR.test(source[j] as string)) j++;
      tokens.push({ type: "word", text: source.slice(i, j), col });
      i = j;
    } else {
      const hint = HINTS[ch];
      fail(source, `unexpected character '${ch}' at column ${col}${hint ? ` (${hint})` : ""}`);
    }
  }
  return tokens;
}

/** Parses a condition; a malformed one throws a ConfigError that quotes it and names the column. */
export function parseCondition(source: string): Condition {
  const tokens = tokenize(source);
  if (tokens.length === 0) fail(source, "empty condition");
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isKeyword = (t: Token | undefined, word: string): boolean => t?.type === "word" && t.text === word;
  const describe = (t: Token | undefined): string =>
    t ? `'${t.text}' at column ${t.col}` : "the end of the condition";

  const parseOr = (): Condition => {
    let left = parseAnd();
    while (isKeyword(peek(), "or")) {
      pos++;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Condition => {
    let left = parseNot();
    while (isKeyword(peek(), "and")) {
      pos++;
      left = { kind: "and", left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): Condition => {
    if (isKeyword(peek(), "not")) {
      pos++;
      return { kind: "not", operand: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): Condition => {
    const token = peek();
    if (token?.type === "op" && token.text === "(") {
      pos++;
      const inner = parseOr();
      const close = peek();
      if (!(close?.type === "op" && close.text === ")")) {
        fail(source, `expected ')' to close the '(' at column ${token.col}, found ${describe(close)}`);
      }
      pos++;
      return inner;
    }
    if (token?.type !== "word" || KEYWORDS.has(token.text) || !NAME.test(token.text)) {
      fail(source, `expected a variable name, 'not' or '(', found ${describe(token)}`);
    }
    pos++;
    const op = peek();
    if (op?.type === "op" && (op.text === "==" || op.text === "!=")) {
      pos++;
      const value = peek();
      if (!value || value.type === "op" || (value.type === "word" && KEYWORDS.has(value.text))) {
        const hint = value?.type === "word" ? " (quote a keyword used as a value)" : "";
        fail(
          source,
          `expected a value after '${op.text}' at column ${op.col}, found ${describe(value)}${hint}`,
        );
      }
      pos++;
      return { kind: "compare", op: op.text, name: token.text, value: value.text };
    }
    return { kind: "var", name: token.text };
  };

  const tree = parseOr();
  if (pos < tokens.length) fail(source, `unexpected ${describe(peek())}`);
  return tree;
}

/** Evaluates a parsed condition against the playbook variables. */
export function evaluateCondition(condition: Condition, vars: Readonly<Record<string, string>>): boolean {
  const lookup = (name: string): string => (Object.hasOwn(vars, name) ? (vars[name] ?? "") : "");
  switch (condition.kind) {
    case "or":
      return evaluateCondition(condition.left, vars) || evaluateCondition(condition.right, vars);
    case "and":
      return evaluateCondition(condition.left, vars) && evaluateCondition(condition.right, vars);
    case "not":
      return !evaluateCondition(condition.operand, vars);
    case "var":
      return !FALSY.has(lookup(condition.name).toLowerCase());
    case "compare":
      return (lookup(condition.name) === condition.value) === (condition.op === "==");
  }
}
