/**
 * A handler's last writes at once: through the forge's `writeAll` where it has one (GitHub: one
 * GraphQL mutation for a status comment and a label, or a reaction, a reply and a close), else one by
 * one through the port's own methods, in the order given.
 */
import type { Forge, ForgeComment, ForgeWrite } from "./types.js";

export async function writeAll(
  forge: Forge,
  writes: readonly ForgeWrite[],
): Promise<(ForgeComment | null)[]> {
  if (forge.writeAll) return forge.writeAll(writes);
  return writeEach(forge, writes);
}

/** The writes one by one (a forge's fallback when it cannot make them in one request). */
export async function writeEach(
  forge: Omit<Forge, "writeAll">,
  writes: readonly ForgeWrite[],
): Promise<(ForgeComment | null)[]> {
  const results: (ForgeComment | null)[] = [];
  for (const write of writes) {
    switch (write.kind) {
      case "comment":
        results.push(await forge.createComment(write.issue, write.body));
        break;
      case "updateComment":
        results.push(await forge.updateComment(write.commentId, write.body));
        break;
      case "addLabels":
        await forge.addLabels(write.issue, write.labels);
        results.push(null);
        break;
      case "removeLabel":
        await forge.removeLabel(write.issue, write.label);
        results.push(null);
        break;
      case "react":
        await forge.addReaction({ commentId: write.commentId }, write.content);
        results.push(null);
        break;
      case "close":
        await forge.closeIssue(write.issue);
        results.push(null);
        break;
    }
  }
  return results;
}
