/**
 * Nothing secret leaves in a push: before a branch is pushed, every line its new commits add is
 * scanned with the redactor's engine (registered secret values, their encodings, and token shapes).
 * A hit refuses the push; the finding names the commit, file and line, never the value.
 */
import { PolicyDenied } from "../errors.js";
import type { Git } from "./git.js";

/** Anything that can say where text holds a secret: the redaction module's `Redactor`. */
export interface SecretFinder {
  findings(text: string): { kind: string }[];
}

/** One secret found in a commit about to be pushed. */
export interface SecretFinding {
  commit: string;
  file: string;
  /** 1-based line in the file as the commit leaves it. */
  line: number;
  /** The rule that matched (`secret`, `github-token`…), never the value. */
  kind: string;
}

/** Scans the lines added by each commit of `ref` that `remote` does not have yet. */
export async function scanPush(
  git: Git,
  ref: string,
  remote: string,
  finder: SecretFinder,
): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const commit of await git.unpushedCommits(ref, remote)) {
    for (const added of addedLines(await git.commitPatch(commit))) {
      for (const hit of finder.findings(added.text)) {
        findings.push({ commit, file: added.file, line: added.line, kind: hit.kind });
      }
    }
  }
  return findings;
}

/** Throws PolicyDenied naming where the secrets are, when the push of `ref` would carry any. */
export async function refuseSecretsInPush(
  git: Git,
  ref: string,
  remote: string,
  finder: SecretFinder,
): Promise<void> {
  const findings = await scanPush(git, ref, remote, finder);
  if (findings.length === 0) return;
  const where = findings
    .slice(0, 10)
    .map((f) => `${f.file}:${f.line} (${f.kind}, commit ${f.commit.slice(0, 12)})`)
    .join(", ");
  const more = findings.length > 10 ? ` and ${findings.length - 10} more` : "";
  throw Object.assign(
    new PolicyDenied(
      `push of ${ref} to ${remote} refused: the commits carry a secret at ${where}${more}`,
      "secret-in-push",
    ),
    { findings },
  );
}

/** The lines a `--unified=0` patch adds, with their file and line number in the new version. */
export function addedLines(patch: string): { file: string; line: number; text: string }[] {
  const out: { file: string; line: number; text: string }[] = [];
  let file: string | null = null;
  let line = 0;
  for (const row of patch.split("\n")) {
    if (row.startsWith("diff --git ")) file = null;
    else if (row.startsWith("+++ "))
      file = row === "+++ /dev/null" ? null : unquote(row.slice(4)).replace(/^b\//, "");
    else if (row.startsWith("@@")) line = Number(/\+(\d+)/.exec(row)?.[1] ?? 0);
    else if (row.startsWith("+") && file !== null) out.push({ file, line: line++, text: row.slice(1) });
    else if (row.startsWith(" ")) line++;
  }
  return out;
}

/** git quotes unusual paths (`"b/caf\303\251"`): undo it so the finding names the real file. */
function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      bytes.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else
      bytes.push(({ n: 10, t: 9, '"': 34, "\\": 92 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString("utf8");
}
