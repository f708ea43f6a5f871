/**
 * Quotes one word for a POSIX shell only when it needs it, so that a command Handoff shows (a rerun
 * line, a policy decision, the hook command Claude Code runs through `sh`) stays copy-pasteable. The
 * safe set holds no character any POSIX shell treats specially: letters, digits and `_ @ % + = : , . / -`.
 */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
