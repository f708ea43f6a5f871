import { jsonPath } from "../util/validate.js";

/**
 * Collects every problem of an agent definition, each as `file: $.json.path: message`, so that one
 * `handoff agent validate` names all of them at once instead of one per attempt.
 */
export class Problems {
  readonly list: string[] = [];

  add(file: string, path: readonly PropertyKey[], message: string): void {
    this.list.push(`${file}: ${jsonPath(path)}: ${message}`);
  }

  get size(): number {
    return this.list.length;
  }
}

/** Reads `obj[key]` when obj is a plain object; the cross-field checks run on raw JSON, typed or not. */
export function field(obj: unknown, key: string): unknown {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
