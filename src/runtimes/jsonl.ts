/** Helpers for CLIs that print one JSON event per line (Claude stream-json, codex --json, Gemini stream-json). */

/** The JSON objects among `text`'s lines; anything else (banners, warnings) is skipped. */
export function jsonLines(text: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{")) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value && typeof value === "object" && !Array.isArray(value))
        events.push(value as Record<string, unknown>);
    } catch {
      // A partial or non-JSON line: CLIs interleave human text in some modes.
    }
  }
  return events;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Tool results are kept short in reports; the full text is the agent's business. */
export function shorten(text: string, max = 2_000): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more chars)`;
}

/** Text of a content value that may be a string or a list of `{type:"text", text}` parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  return asArray(content)
    .map((part) => asString(asRecord(part).text) ?? "")
    .join("");
}

/** Adds two optional token counts. */
export function addTokens(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}
