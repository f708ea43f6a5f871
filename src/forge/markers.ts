/**
 * Hidden markers: HTML comments (`<!-- handoff:… -->`) in an issue or comment body, invisible on the
 * rendered page, that let a rerun or a redelivered webhook find what an earlier one wrote.
 */
import { UsageError } from "../errors.js";
import type { ForgeComment, LabelSpec } from "./types.js";

/** `<!-- handoff:<kind> key=value … -->`, with values made safe to sit inside an HTML comment. */
export function marker(kind: string, fields: Record<string, string | number> = {}): string {
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${String(v).replace(/[^\w.:/@-]/g, "_")}`);
  return `<!-- handoff:${[kind, ...parts].join(" ")} -->`;
}

/** Refuses a marker that is not a hidden comment or a body that does not carry it. */
export function checkMarkedBody(markerText: string, body: string): void {
  if (!/^<!--[\s\S]*-->$/.test(markerText)) {
    throw new UsageError(
      `marker must be a hidden HTML comment (<!-- … -->), got ${JSON.stringify(markerText)}`,
    );
  }
  if (!body.includes(markerText)) {
    throw new UsageError(`a sticky comment's body must contain its marker ${markerText}`);
  }
}

/** The first comment holding `marker`, oldest first, so a duplicate made by a race is never chosen. */
export function findMarked(comments: readonly ForgeComment[], markerText: string): ForgeComment | undefined {
  return comments.find((c) => c.body.includes(markerText));
}

/** A label given by name or as a spec, as a spec. */
export function labelSpec(label: string | LabelSpec): LabelSpec {
  return typeof label === "string" ? { name: label } : label;
}

/** Default colour of labels Handoff creates without one (GitHub's grey). */
export const DEFAULT_LABEL_COLOR = "ededed";
