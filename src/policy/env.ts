import type { ResolvedWord } from "./words.js";

/** Variables that change which program runs or make programs run extra code. */
const DANGEROUS = new Set([
  "PATH",
  "BASH_ENV",
  "ENV",
  "SHELLOPTS",
  "BASHOPTS",
  "PS4",
  "PROMPT_COMMAND",
  "CDPATH",
  "HOME",
  "SHELL",
  "EDITOR",
  "VISUAL",
  "BROWSER",
  "LESSOPEN",
  "LESSCLOSE",
  "MANPAGER",
  "SSH_ASKPASS",
  "GCONV_PATH",
  "NODE_OPTIONS",
  "NODE_PATH",
  "PYTHONSTARTUP",
  "PYTHONPATH",
  "PYTHONHOME",
  "PERL5OPT",
  "PERL5LIB",
  "PERLLIB",
  "RUBYOPT",
  "RUBYLIB",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "MAKEFLAGS",
  "GIT_SSH",
  "GIT_SSH_COMMAND",
  "GIT_EXTERNAL_DIFF",
  "GIT_EDITOR",
  "GIT_SEQUENCE_EDITOR",
  "GIT_ASKPASS",
  "GIT_EXEC_PATH",
  "GIT_PROXY_COMMAND",
  "GIT_TEMPLATE_DIR",
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_CONFIG",
  "GIT_CONFIG_GLOBAL",
  "GIT_CONFIG_SYSTEM",
  "GIT_CONFIG_PARAMETERS",
  "GIT_CONFIG_COUNT",
]);
const DANGEROUS_PREFIXES = [/^LD_/, /^DYLD_/, /^GIT_CONFIG_(KEY|VALUE)_/, /^npm_config_/i, /^BASH_FUNC_/];
/** Pagers are commands too; these values are known to be plain pagers. */
const PAGERS = new Set(["PAGER", "GIT_PAGER"]);
const SAFE_PAGERS = new Set(["", "cat", "less", "more", "less -R", "less -FRX"]);

/** Why assigning `name` is denied, or null. */
export function dangerousAssignment(name: string, value: ResolvedWord | null): string | null {
  if (PAGERS.has(name)) {
    if (value === null || (value.literal && SAFE_PAGERS.has(value.text))) return null;
    return `${name} names a program the pager would run`;
  }
  if (DANGEROUS.has(name) || DANGEROUS_PREFIXES.some((re) => re.test(name))) {
    return `setting ${name} changes which program runs or makes programs run extra code`;
  }
  return null;
}
