/**
 * Nothing secret leaves in a push: before a branch or tags are pushed, everything the push would carry
 * for the first time is scanned with the redactor's engine — every line the new commits add to a file,
 * each new commit's message, each new tag's message. Text is scanned for registered secret values,
 * their encodings and token shapes; binary files (a NUL byte in what a commit adds to them) for
 * the registered values and their encodings only, since random bytes match token shapes by chance.
 * A hit refuses the push; the finding names the commit, file (or message) and line, never the value.
 */
import { PolicyDenied } from "../errors.js";
import type { Git } from "./git.js";

/** Anything that can say where text holds a secret: the redaction module's `Redactor`. */
export interface SecretFinder {
  findings(text: string): { kind: string }[];
}

/** The kind of a registered secret value (or an encoding of it), as the redactor names it. */
const REGISTERED = "secret";

/** One secret found in what a push would carry. */
export interface SecretFinding {
  commit: string;
  /** Where it is: a line a commit adds to `file`, the commit's message, or the message of `tag`. */
  in: "file" | "commit-message" | "tag-message";
  /** The file, for `in: "file"`. */
  file?: string;
  /** The tag, for `in: "tag-message"`. */
  tag?: string;
  /** 1-based line in the file as the commit leaves it, or in the message. */
  line: number;
  /** The rule that matched (`secret`, `github-token`…), never the value. */
  kind: string;
  /** The file is binary: only registered values were looked for. */
  binary?: boolean;
}

/** Scans the commits of `ref` that `remote` does not have yet: added lines and messages. */
export async function scanPush(
  git: Git,
  ref: string,
  remote: string,
  finder: SecretFinder,
): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const commit of await git.unpushedCommits(ref, remote)) {
    for (const file of addedFiles(await git.commitPatch(commit))) {
      for (const added of file.lines) {
        for (const hit of finder.findings(added.text)) {
          if (file.binary && hit.kind !== REGISTERED) continue;
          findings.push({
            commit,
            in: "file",
            file: file.file,
            line: added.line,
            kind: hit.kind,
            ...(file.binary ? { binary: true } : {}),
          });
        }
      }
    }
    const [entry] = await git.log(commit, { maxCount: 1 });
    for (const hit of messageHits(entry?.message ?? "", finder))
      findings.push({ commit, in: "commit-message", ...hit });
  }
  return unique(findings);
}

/** One finding per place and rule (a base64 form matches at several alignments of one line). */
function unique(findings: readonly SecretFinding[]): SecretFinding[] {
  const seen = new Map<string, SecretFinding>();
  for (const f of findings) seen.set(JSON.stringify([f.commit, f.in, f.file, f.tag, f.line, f.kind]), f);
  return [...seen.values()];
}

/**
 * Scans what pushing the tags `tagRefs` (full names) would carry to `remote` for the first time: the
 * tags it lacks, their messages, and the commits they bring that no branch there has.
 */
export async function scanTagPush(
  git: Git,
  tagRefs: readonly string[],
  remote: string,
  finder: SecretFinder,
): Promise<SecretFinding[]> {
  const there = tagRefs.length > 0 ? await git.lsRemote(remote, [...tagRefs]) : new Map<string, string>();
  const findings: SecretFinding[] = [];
  for (const ref of tagRefs.filter((r) => !there.has(r))) {
    const name = ref.replace(/^refs\/tags\//, "");
    const [tag] = await git.refs.listTags(name);
    if (!tag) continue;
    for (const hit of messageHits(tag.message, finder))
      findings.push({ commit: tag.commit, in: "tag-message", tag: name, ...hit });
    findings.push(...(await scanPush(git, ref, remote, finder)));
  }
  return unique(findings);
}

function messageHits(message: string, finder: SecretFinder): { line: number; kind: string }[] {
  return message
    .split("\n")
    .flatMap((text, i) => finder.findings(text).map((hit) => ({ line: i + 1, kind: hit.kind })));
}

/** Throws PolicyDenied naming where the secrets are, when pushing `what` would carry any. */
export function refuseFindings(findings: readonly SecretFinding[], what: string): void {
  if (findings.length === 0) return;
  const where = findings.slice(0, 10).map(describeFinding).join(", ");
  const more = findings.length > 10 ? ` and ${findings.length - 10} more` : "";
  throw Object.assign(
    new PolicyDenied(`push of ${what} refused: it carries a secret at ${where}${more}`, "secret-in-push"),
    { findings },
  );
}

/** Throws PolicyDenied naming where the secrets are, when the push of `ref` would carry any. */
export async function refuseSecretsInPush(
  git: Git,
  ref: string,
  remote: string,
  finder: SecretFinder,
): Promise<void> {
  refuseFindings(await scanPush(git, ref, remote, finder), `${ref} to ${remote}`);
}

/** Where a finding is, for a person: file and line, or which message and line; never the value. */
export function describeFinding(f: SecretFinding): string {
  const commit = f.commit.slice(0, 12);
  if (f.in === "commit-message") return `line ${f.line} of the message of commit ${commit} (${f.kind})`;
  if (f.in === "tag-message") return `line ${f.line} of the message of tag ${f.tag} (${f.kind})`;
  const binary = f.binary ? ", binary" : "";
  return `${f.file}:${f.line} (${f.kind}${binary}, commit ${commit})`;
}

/** The lines a `--unified=0 --text` patch adds, grouped by file, each file marked binary when they hold a NUL. */
export function addedFiles(
  patch: string,
): { file: string; binary: boolean; lines: { line: number; text: string }[] }[] {
  const files = new Map<string, { file: string; binary: boolean; lines: { line: number; text: string }[] }>();
  for (const added of addedLines(patch)) {
    let entry = files.get(added.file);
    if (!entry) files.set(added.file, (entry = { file: added.file, binary: false, lines: [] }));
    entry.lines.push({ line: added.line, text: added.text });
    if (added.text.includes("\0")) entry.binary = true;
  }
  return [...files.values()];
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
