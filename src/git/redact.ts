/**
 * Masks credentials that git may echo in its messages: `https://user:token@host/…` and
 * `https://token@host/…` become `https://***@host/…`. The Redactor masks only the password of a URL;
 * git remotes often carry a bare token as the user name (`https://<token>@github.com/…`), so the
 * wrapper masks the whole user-info part first, then applies the Redactor.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, "$1***@");
}
