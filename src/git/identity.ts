/** Who a commit or tag is attributed to. */
export interface Identity {
  name: string;
  email: string;
}

/** Who Handoff's own commits, tags and rebases are attributed to when nothing else is configured. */
export const HANDOFF_IDENTITY: Identity = { name: "Handoff", email: "handoff@users.noreply.github.com" };

/**
 * The identity to write with: the one asked for, else the repository's `user.name`/`user.email`, else
 * Handoff's. A machine with no git identity (a fresh CI runner) can still commit.
 */
export async function resolveIdentity(
  git: { tryConfigGet(key: string): Promise<string | null> },
  preferred?: Identity,
): Promise<Identity> {
  if (preferred) return preferred;
  const [name, email] = await Promise.all([git.tryConfigGet("user.name"), git.tryConfigGet("user.email")]);
  return name && email ? { name, email } : HANDOFF_IDENTITY;
}

/** The environment that makes git write as `identity` (author and committer). */
export function identityEnv(identity?: Identity): NodeJS.ProcessEnv | undefined {
  if (!identity) return undefined;
  return {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
}

/** A rebase keeps each commit's author; only the committer is the one who rebased. */
export function committerEnv(identity?: Identity): NodeJS.ProcessEnv | undefined {
  if (!identity) return undefined;
  return { GIT_COMMITTER_NAME: identity.name, GIT_COMMITTER_EMAIL: identity.email };
}
