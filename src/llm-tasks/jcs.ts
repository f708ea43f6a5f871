/**
 * RFC 8785 JSON Canonicalization Scheme (JCS). The LLM-task id hashes these bytes, so a pipeline in
 * any language that implements the same RFC computes the same id.
 *
 * - numbers use ECMAScript's Number-to-String, which is exactly what `JSON.stringify` does;
 * - strings use JSON.stringify's escaping (the RFC borrows it from ECMAScript too);
 * - object keys are sorted by UTF-16 code units (JavaScript's default string order);
 * - no whitespace.
 */
export function canonicalize(value: unknown): string {
  return write(value, "$");
}

function write(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value))
        throw new TypeError(`${path}: ${value} cannot be canonicalised (JSON has no such number)`);
      return JSON.stringify(value);
    case "string":
      return writeString(value, path);
    case "object":
      return Array.isArray(value)
        ? writeArray(value, path)
        : writeObject(value as Record<string, unknown>, path);
    default:
      throw new TypeError(`${path}: a ${typeof value} cannot be canonicalised (not a JSON value)`);
  }
}

// In a `u` regex a surrogate pair is one code point, so this matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function writeString(value: string, path: string): string {
  // The RFC requires well-formed Unicode; a lone surrogate has no UTF-8 encoding to hash.
  if (LONE_SURROGATE.test(value)) throw new TypeError(`${path}: string holds a lone UTF-16 surrogate`);
  return JSON.stringify(value);
}

function writeArray(values: readonly unknown[], path: string): string {
  return `[${values.map((item, index) => write(item, `${path}[${index}]`)).join(",")}]`;
}

function writeObject(value: Record<string, unknown>, path: string): string {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`${path}: only plain objects can be canonicalised`);
  }
  // Array.prototype.sort compares strings by UTF-16 code units, which is the order the RFC asks for.
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort();
  const members = keys.map((key) => `${writeString(key, path)}:${write(value[key], `${path}.${key}`)}`);
  return `{${members.join(",")}}`;
}
