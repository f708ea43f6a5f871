import type { Git, Identity } from "./git.js";

/** Who Handoff's own commits, tags and rebases are attributed to when nothing else is configured. */
export const HANDOFF_IDENTITY: Identity = { name: "Handoff", email: "handoff@users.noreply.github.com" };

/**
 * The identity to write with: the one asked for, else the repository's `user.name`/`user.email`, else
 * Handoff's. A machine with no git identity (a fresh CI runner) can still commit.
 */
export async function resolveIdentity(git: Git, preferred?: Identity): Promise<Identity> {
  if (preferred) return preferred;
  const [name, email] = await Promise.all([git.configGet("user.name"), git.configGet("user.email")]);
  return name && email ? { name, email } : HANDOFF_IDENTITY;
}
