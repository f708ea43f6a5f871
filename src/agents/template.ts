/** Placeholders the runner fills in a `command` runtime's command and args. */
export const RUNTIME_PLACEHOLDERS = ["prompt_file", "worktree", "issue"] as const;

/**
 * Replaces `{name}` in a command or argument with `values[name]`. Each argument stays one argv entry
 * (no shell), so a value cannot inject further arguments. Unknown placeholders are refused at load.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string | number | boolean>>,
): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
