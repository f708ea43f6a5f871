/**
 * Who may drive agents, and how a refusal is answered. The permission is the sender's role on the
 * repository as the forge reports it (never `author_association`, which says nothing about write
 * access); bots are never obeyed, so the app cannot loop on its own comments.
 */
import { marker } from "../../forge/markers.js";
import { type Forge, type Permission, permits } from "../../forge/types.js";

export interface Sender {
  login: string;
  /** GitHub's account type: `User`, `Bot`, `Organization`. */
  type: string;
}

/** Whether a sender is a bot (the app itself included). */
export function isBot(sender: Sender): boolean {
  return sender.type === "Bot" || sender.login.endsWith("[bot]");
}

/** Why `sender` may not act, or null when their permission is at least `required`. One API call. */
export async function permissionRefusal(
  forge: Forge,
  sender: Sender,
  required: Permission,
): Promise<string | null> {
  const actual = await forge.getPermission(sender.login);
  if (permits(actual, required)) return null;
  return `@${sender.login} needs ${required} permission on this repository to do that (has ${actual}).`;
}

/**
 * Answers a request on an issue or PR, once: the reply carries a marker made of `key`, so a
 * redelivered event finds its earlier answer and writes nothing new.
 */
export async function reply(
  forge: Forge,
  issue: number,
  key: Record<string, string | number>,
  text: string,
): Promise<void> {
  const hidden = marker("reply", key);
  await forge.upsertComment(issue, hidden, `${hidden}\n${text}`);
}
