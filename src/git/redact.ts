/**
 * Masks credentials that git may echo in its messages: `https://user:token@host/…` and
 * `https://token@host/…` become `https://***@host/…`. The git wrapper applies this to every message it
 * puts into a GitError, before any other redaction the caller configured.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, "$1***@");
}
