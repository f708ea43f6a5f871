/**
 * Hidden markers: HTML comments (`<!-- handoff:… -->`) in an issue or comment body, invisible on the
 * rendered page, that let a rerun or a redelivered webhook find what an earlier one wrote.
 */
import { UsageError } from "../errors.js";
import type { Forge, ForgeComment, LabelSpec } from "./types.js";

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

/**
 * The sticky comment on `issue`: the one holding `marker` is updated to `body` (left alone when it
 * already says that), else `body` is posted. Both forges answer `upsertComment` with this, so a
 * rerun or a redelivered webhook edits in place on GitHub and offline alike.
 */
export async function upsertMarkedComment(
  forge: Pick<Forge, "listComments" | "createComment" | "updateComment">,
  issue: number,
  markerText: string,
  body: string,
): Promise<{ comment: ForgeComment; created: boolean }> {
  checkMarkedBody(markerText, body);
  const existing = findMarked(await forge.listComments(issue), markerText);
  if (!existing) return { comment: await forge.createComment(issue, body), created: true };
  if (existing.body === body) return { comment: existing, created: false };
  return { comment: await forge.updateComment(existing.id, body), created: false };
}

/** A label given by name or as a spec, as a spec. */
export function labelSpec(label: string | LabelSpec): LabelSpec {
  return typeof label === "string" ? { name: label } : label;
}

/** Default colour of labels Handoff creates without one (GitHub's grey). */
export const DEFAULT_LABEL_COLOR = "ededed";
