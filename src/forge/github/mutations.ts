/**
 * A handler's independent last writes (Forge.writeAll) as ONE GraphQL mutation: a status comment and
 * the `handoff:running` label, or a reaction, a reply and a close, where REST needs a request each.
 * GraphQL runs a document's mutations one after another, in the order given. It needs the GraphQL
 * ids of the issue, the comments and the labels, which the delivery's bulk read brought (prefetch.ts);
 * when one is unknown the writes are made through REST instead, one by one.
 */
import type { ForgeComment, ForgeWrite, Reaction } from "../types.js";
import { COMMENT, type Json, runGraphql, toComment } from "./graphql.js";
import type { ForgeOctokit } from "./octokit.js";
import type { ReadCache } from "./prefetch.js";

const REACTIONS: Record<Reaction, string> = {
  "+1": "THUMBS_UP",
  "-1": "THUMBS_DOWN",
  laugh: "LAUGH",
  confused: "CONFUSED",
  heart: "HEART",
  hooray: "HOORAY",
  rocket: "ROCKET",
  eyes: "EYES",
};

interface Field {
  text: (v: (name: string) => string) => string;
  variables: Record<string, unknown>;
  types: Record<string, string>;
}

type Ids = ReadCache["nodeIds"];

/** The mutation field of one write, or null when an id it needs is unknown. */
function field(write: ForgeWrite, ids: Ids): Field | null {
  const issue = "issue" in write ? ids.issues.get(write.issue) : undefined;
  switch (write.kind) {
    case "comment":
      return issue
        ? {
            text: (v) =>
              `addComment(input: { subjectId: ${v("s")}, body: ${v("b")} }) { commentEdge { node { ${COMMENT} } } }`,
            variables: { s: issue, b: write.body },
            types: { s: "ID!", b: "String!" },
          }
        : null;
    case "updateComment": {
      const comment = ids.comments.get(write.commentId);
      return comment
        ? {
            text: (v) =>
              `updateIssueComment(input: { id: ${v("s")}, body: ${v("b")} }) { issueComment { ${COMMENT} } }`,
            variables: { s: comment, b: write.body },
            types: { s: "ID!", b: "String!" },
          }
        : null;
    }
    case "addLabels":
    case "removeLabel": {
      const names = write.kind === "addLabels" ? write.labels : [write.label];
      const labels = names.map((n) => ids.labels.get(n));
      if (!issue || labels.some((l) => !l)) return null;
      const mutation = write.kind === "addLabels" ? "addLabelsToLabelable" : "removeLabelsFromLabelable";
      return {
        text: (v) =>
          `${mutation}(input: { labelableId: ${v("s")}, labelIds: ${v("l")} }) { clientMutationId }`,
        variables: { s: issue, l: labels },
        types: { s: "ID!", l: "[ID!]!" },
      };
    }
    case "react": {
      const comment = ids.comments.get(write.commentId);
      return comment
        ? {
            text: (v) =>
              `addReaction(input: { subjectId: ${v("s")}, content: ${v("c")} }) { clientMutationId }`,
            variables: { s: comment, c: REACTIONS[write.content] },
            types: { s: "ID!", c: "ReactionContent!" },
          }
        : null;
    }
    case "close":
      return issue
        ? {
            text: (v) => `closeIssue(input: { issueId: ${v("s")} }) { clientMutationId }`,
            variables: { s: issue },
            types: { s: "ID!" },
          }
        : null;
  }
}

/** The mutation for `writes`, or null when one of them cannot be written through GraphQL. */
export function buildWriteMutation(
  writes: readonly ForgeWrite[],
  ids: Ids,
): { query: string; variables: Record<string, unknown> } | null {
  const fields: string[] = [];
  const declarations: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const [i, write] of writes.entries()) {
    const f = field(write, ids);
    if (!f) return null;
    for (const [name, value] of Object.entries(f.variables)) variables[`w${i}${name}`] = value;
    for (const [name, type] of Object.entries(f.types)) declarations.push(`$w${i}${name}: ${type}`);
    fields.push(`w${i}: ${f.text((name) => `$w${i}${name}`)}`);
  }
  return { query: `mutation handoffWrites(${declarations.join(", ")}) { ${fields.join(" ")} }`, variables };
}

/**
 * Makes `writes` in one mutation; null when they cannot be (an id is unknown: write through REST).
 * The comments written come back in the port's shape, as REST's would.
 */
export async function writeWithMutation(
  octokit: ForgeOctokit,
  writes: readonly ForgeWrite[],
  ids: Ids,
  where: string,
): Promise<(ForgeComment | null)[] | null> {
  const mutation = writes.length > 1 ? buildWriteMutation(writes, ids) : null;
  if (!mutation) return null;
  const data = await runGraphql(octokit, mutation.query, mutation.variables, `write to ${where}`, false);
  return writes.map((write, i) => {
    const result = data[`w${i}`] as Json | null;
    const node =
      write.kind === "comment"
        ? (result?.commentEdge as { node: Json } | undefined)?.node
        : write.kind === "updateComment"
          ? (result?.issueComment as Json | undefined)
          : undefined;
    if (!node) return null;
    // A comment written now may be updated later in the delivery (a failed dispatch's status).
    ids.comments.set(node.databaseId as number, node.id as string);
    return toComment(node);
  });
}
