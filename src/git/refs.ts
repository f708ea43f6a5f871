/**
 * The git wrapper's ref verbs: reading, writing and checking refs and tags directly, without a
 * working tree (what checkpoints, rollback and the local forge build on). Reached as `git.refs`.
 */
import type { GitRunner } from "./exec.js";
import { type Identity, identityEnv } from "./identity.js";
import { TAG_FORMAT, type TagInfo, parseTags } from "./parse.js";

export class GitRefs {
  constructor(private readonly run: GitRunner) {}

  /** `git show-ref --verify`: the sha a full ref name points at, or null when there is no such ref. */
  tryShowRef(ref: string): Promise<string | null> {
    return this.run.answer(["show-ref", "--verify", "--hash", "--end-of-options", ref], [1, 128]);
  }

  /** `git for-each-ref`: one line per ref in `format` (default `<sha> <refname>`), sorted by name. */
  forEachRef(patterns: readonly string[] = [], format = "%(objectname) %(refname)"): Promise<string[]> {
    return this.run.lines(["for-each-ref", `--format=${format}`, "--end-of-options", ...patterns]);
  }

  /** `git update-ref`; with `oldValue` the update only happens if the ref still has that value. */
  async updateRef(
    ref: string,
    sha: string,
    options: { oldValue?: string; message?: string } = {},
  ): Promise<void> {
    const args = ["update-ref"];
    if (options.message) args.push("-m", options.message);
    args.push("--end-of-options", ref, sha);
    if (options.oldValue !== undefined) args.push(options.oldValue);
    await this.run.exec(args);
  }

  async deleteRef(ref: string): Promise<void> {
    await this.run.exec(["update-ref", "-d", "--end-of-options", ref]);
  }

  /** `git check-ref-format`: whether `ref` (a full ref name such as `refs/tags/x`) is valid. */
  async checkRefFormat(ref: string): Promise<boolean> {
    // check-ref-format predates `--end-of-options`; a leading dash is invalid in a ref name anyway.
    if (ref.startsWith("-")) return false;
    const result = await this.run.exec(["check-ref-format", ref], { allowedExitCodes: [1] });
    return result.exitCode === 0;
  }

  /** Creates the annotated tag `name` on `target` with `message` (kept verbatim, read from stdin). */
  async tag(
    name: string,
    target: string,
    message: string,
    options: { tagger?: Identity } = {},
  ): Promise<void> {
    await this.run.exec(
      ["tag", "--annotate", "--cleanup=verbatim", "--file=-", "--end-of-options", name, target],
      {
        input: message,
        env: identityEnv(options.tagger),
      },
    );
  }

  /**
   * Tags under `refs/tags/<pattern>` (a glob such as `handoff/checkpoint/4/*`, or a prefix up to a
   * slash such as `handoff/checkpoint`) with their commits and messages, oldest first. With `merged`,
   * only tags reachable from that commit.
   */
  async listTags(pattern: string, options: { merged?: string } = {}): Promise<TagInfo[]> {
    const refs = await this.run.out([
      "for-each-ref",
      "--sort=creatordate",
      `--format=${TAG_FORMAT}`,
      ...(options.merged ? [`--merged=${options.merged}`] : []),
      "--end-of-options",
      `refs/tags/${pattern}`,
    ]);
    return parseTags(refs);
  }

  async deleteTag(name: string): Promise<void> {
    await this.run.exec(["tag", "--delete", "--end-of-options", name]);
  }
}
