import type { Transform } from "node:stream";
import { Engine, newRenderState, render } from "./engine.js";
import { RedactStream } from "./stream.js";
import { MIN_SECRET_LENGTH, secretVariants } from "./variants.js";

export { MASK } from "./engine.js";
export { MIN_SECRET_LENGTH } from "./variants.js";
export { RedactStream } from "./stream.js";

/** Options of a Redactor. */
export interface RedactorOptions {
  /** Secret values to mask wherever they appear (values shorter than MIN_SECRET_LENGTH are ignored). */
  secrets?: readonly string[];
}

/**
 * Masks secrets in text Handoff writes: registered secret values (and their JSON-escaped,
 * URL-encoded and base64 forms) and known token shapes (GitHub, Anthropic, OpenAI, AWS key ids,
 * PEM private keys, Authorization/Bearer values, passwords in URLs). Every mask is `***`.
 *
 * `redact()` and `stream()` share one engine, so a chunked stream gives the same output as one call.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private literals = new Set<string>();
  private engine: Engine | undefined;

  constructor(options: RedactorOptions = {}) {
    for (const secret of options.secrets ?? []) this.addSecret(secret);
  }

  /** Registers a secret value; streams already running pick it up from their next chunk. */
  addSecret(value: string): void {
    if (this.secrets.has(value)) return;
    this.secrets.add(value);
    const variants = secretVariants(value);
    if (variants.length === 0) return;
    for (const variant of variants) this.literals.add(variant);
    this.engine = undefined;
  }

  /** How many registered secrets are long enough to be masked. */
  get secretCount(): number {
    let count = 0;
    for (const secret of this.secrets) if (secret.length >= MIN_SECRET_LENGTH) count++;
    return count;
  }

  /** Returns `text` with every secret masked. */
  redact(text: string): string {
    if (text.length === 0) return text;
    const scan = this.currentEngine().scan(text, 0, true);
    if (scan.matches.length === 0) return text;
    return render(text, scan, newRenderState(), true);
  }

  /**
   * Where `text` holds a secret: each registered value (or an encoding of it) and each token shape,
   * as offsets and the rule's kind — never the value itself. The push scan names file and line from it.
   */
  findings(text: string): { start: number; end: number; kind: string }[] {
    if (text.length === 0) return [];
    return this.currentEngine()
      .scan(text, 0, true)
      .matches.map((m) => ({ start: m.start, end: m.end, kind: m.kind }));
  }

  /**
   * Redacts every string inside a JSON-like value (keys included): arrays and plain objects are
   * copied, other values (numbers, class instances such as Date) are kept as they are.
   */
  redactValue<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactValue(item)) as T;
    if (value !== null && typeof value === "object" && isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[this.redact(key)] = this.redactValue(item);
      return out as T;
    }
    return value;
  }

  /** A Transform (bytes or strings in, UTF-8 text out) that masks the same way as `redact()`. */
  stream(): RedactStream & Transform {
    return new RedactStream(() => this.currentEngine());
  }

  private currentEngine(): Engine {
    this.engine ??= new Engine([...this.literals]);
    return this.engine;
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A Redactor that masks the values of the named environment variables (unset or empty ones are
 * skipped; `missing` on the result lists them so callers can warn).
 */
export function redactorFromEnv(
  names: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Redactor & { missing: string[] } {
  const redactor = new Redactor() as Redactor & { missing: string[] };
  redactor.missing = [];
  for (const name of names) {
    const value = env[name];
    if (value) redactor.addSecret(value);
    else redactor.missing.push(name);
  }
  return redactor;
}
