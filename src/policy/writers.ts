import { checkWritePath } from "./paths.js";
import type { ResolvedWord } from "./words.js";

/**
 * Known writers and which of their arguments they write: `all` non-option arguments, or only the
 * `last` (destination), skipping `skipFirst` (chmod's mode, chown's owner).
 */
const WRITERS: Record<string, { which: "all" | "last"; skipFirst?: boolean; removes?: boolean }> = {
  rm: { which: "all", removes: true },
  rmdir: { which: "all", removes: true },
  unlink: { which: "all", removes: true },
  shred: { which: "all", removes: true },
  mv: { which: "all", removes: true },
  touch: { which: "all" },
  mkdir: { which: "all" },
  truncate: { which: "all" },
  tee: { which: "all" },
  ln: { which: "all" }, // a link to a path outside would let later writes escape
  cp: { which: "last" },
  install: { which: "last" },
  rsync: { which: "last" },
  chmod: { which: "all", skipFirst: true },
  chown: { which: "all", skipFirst: true },
  chgrp: { which: "all", skipFirst: true },
};

/** Options whose value is a file or directory the program writes (`git -o` is format-patch's). */
const OPTION_WRITERS: Record<string, string[]> = {
  sort: ["-o", "--output"],
  git: ["--output", "-o"],
  tar: ["-C", "--directory", "-f", "--file"],
  curl: [
    "-o",
    "--output",
    "--output-dir",
    "-D",
    "--dump-header",
    "-c",
    "--cookie-jar",
    "--trace",
    "--trace-ascii",
  ],
  wget: [
    "-O",
    "--output-document",
    "-P",
    "--directory-prefix",
    "-o",
    "--output-file",
    "-a",
    "--append-output",
  ],
  gcc: ["-o"],
  cc: ["-o"],
  clang: ["-o"],
  "g++": ["-o"],
  go: ["-o"],
  tsc: ["--outDir", "--outFile", "--declarationDir", "--tsBuildInfoFile"],
  esbuild: ["--outfile", "--outdir"],
  patch: ["-o", "--output", "-d", "--directory"],
};

export interface WriteDenial {
  reason: string;
}

/** Checks the files a known writer would write or remove. Null when all stay inside write_paths. */
export function checkWriter(
  program: string,
  argv: readonly ResolvedWord[],
  cwds: readonly string[] | null,
  roots: readonly string[],
): WriteDenial | null {
  const targets = writeTargets(program, argv);
  if (!targets) return null;
  const spec = WRITERS[program];
  for (const target of targets) {
    const check = checkWritePath(target, cwds, roots);
    if (!check.ok) return { reason: `\`${program}\` writes where the policy forbids: ${check.reason}` };
    if (spec?.removes && check.resolved.some((path) => roots.includes(path))) {
      return { reason: `\`${program} ${target.text}\` would remove a whole write path` };
    }
  }
  return null;
}

function writeTargets(program: string, argv: readonly ResolvedWord[]): ResolvedWord[] | null {
  const byOption = OPTION_WRITERS[program];
  if (byOption) {
    const formatPatch = argv.some((w) => w.literal && w.text === "format-patch");
    const names = program === "git" && !formatPatch ? byOption.filter((n) => n !== "-o") : byOption;
    return names.flatMap((name) => optionValues(argv, name));
  }
  if (program === "dd") {
    return argv
      .slice(1)
      .filter((w) => !w.literal || w.text.startsWith("of="))
      .map((w) => (w.literal ? { ...w, text: w.text.slice(3) } : w));
  }
  if (program === "sed") {
    const inPlace = argv
      .slice(1)
      .some((w) => w.literal && (/^-[a-zA-Z]*i/.test(w.text) || w.text.startsWith("--in-place")));
    if (!inPlace) return null;
    const operands = operandsOf(argv);
    const hasExpression = argv.some(
      (w) => w.literal && (w.text === "-e" || w.text.startsWith("--expression")),
    );
    return hasExpression ? operands : operands.slice(1);
  }
  const spec = WRITERS[program];
  if (!spec) return null;
  const operands = operandsOf(argv);
  const target = optionValue(argv, ["-t", "--target-directory"]);
  if (target) return [target, ...(spec.removes ? operands : [])];
  let list =
    spec.skipFirst && !argv.some((w) => w.text.startsWith("--reference")) ? operands.slice(1) : operands;
  if (spec.which === "last") list = list.slice(-1);
  // A non-literal word may be an operand; we cannot know, so check it too.
  const unknown = argv.slice(1).filter((w) => !w.literal && !list.includes(w));
  return [...list, ...unknown];
}

/** Non-option arguments (everything after `--` counts). */
function operandsOf(argv: readonly ResolvedWord[]): ResolvedWord[] {
  const out: ResolvedWord[] = [];
  let ended = false;
  for (const word of argv.slice(1)) {
    if (!ended && word.literal && word.text === "--") ended = true;
    else if (ended || !word.literal || !word.text.startsWith("-") || word.text === "-") out.push(word);
  }
  return out;
}

/** Every value given to option `name`: `-o F`, `-oF` (short), `--output F`, `--output=F` (long). */
function optionValues(argv: readonly ResolvedWord[], name: string): ResolvedWord[] {
  const out: ResolvedWord[] = [];
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i]!;
    if (!w.literal) continue;
    if (w.text === name) {
      const value = argv[i + 1];
      if (value) out.push(value);
      i++;
    } else if (name.startsWith("--") && w.text.startsWith(`${name}=`)) {
      out.push({ ...w, text: w.text.slice(name.length + 1) });
    } else if (
      !name.startsWith("--") &&
      !w.text.startsWith("--") &&
      w.text.startsWith(name) &&
      w.text.length > 2
    ) {
      out.push({ ...w, text: w.text.slice(name.length) });
    }
  }
  return out;
}

function optionValue(argv: readonly ResolvedWord[], names: string[]): ResolvedWord | undefined {
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i]!;
    if (!w.literal) continue;
    if (names.includes(w.text)) return argv[i + 1];
    for (const name of names) {
      if (name.startsWith("--") && w.text.startsWith(`${name}=`))
        return { ...w, text: w.text.slice(name.length + 1) };
    }
  }
  return undefined;
}
