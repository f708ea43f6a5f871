/**
 * The forms in which a registered secret can show up in text Handoff writes: as is, JSON-escaped,
 * URL-encoded, and base64-encoded (standard and URL-safe alphabets, at each of the three byte
 * alignments it can have inside a longer encoded string, e.g. `Basic base64(user:secret)`).
 */

/** Registered secrets shorter than this are ignored: masking "a" or "ok" would mask everything. */
export const MIN_SECRET_LENGTH = 4;

/** Base64 fragments shorter than this are not masked on their own; they would hit unrelated base64. */
const MIN_BASE64_FRAGMENT = 8;

/** Every distinct form of `secret` to mask (empty when the secret is too short or is only `*`). */
export function secretVariants(secret: string): string[] {
  const out = new Set<string>();
  const add = (v: string): void => {
    if (v.length >= MIN_SECRET_LENGTH) out.add(v);
  };
  if (secret.length < MIN_SECRET_LENGTH || /^\**$/.test(secret)) return [];

  // Multi-line secrets (PEM keys) are also masked line by line, the way CI runners print them.
  const forms = [secret, secret.trim()];
  if (/[\r\n]/.test(secret)) forms.push(...secret.split(/\r?\n/).map((line) => line.trim()));
  for (const form of forms) {
    if (form.length < MIN_SECRET_LENGTH) continue;
    add(form);
    const json = JSON.stringify(form).slice(1, -1);
    add(json);
    add(json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
    const url = encodeURIComponent(form);
    add(url);
    add(url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()));
    add(url.replace(/%20/g, "+"));
  }
  const bytes = Buffer.from(secret, "utf8");
  for (const alphabet of ["base64", "base64url"] as const) {
    add(bytes.toString(alphabet));
    for (const fragment of alignedBase64(bytes, alphabet)) {
      if (fragment.length >= MIN_BASE64_FRAGMENT) add(fragment);
    }
  }
  return [...out];
}

/**
 * For each offset k = 0, 1, 2 of the secret inside a longer byte string, the base64 characters that
 * depend on the secret's bytes alone (the characters shared with neighbouring bytes are dropped).
 */
function alignedBase64(bytes: Buffer, alphabet: "base64" | "base64url"): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const padded = Buffer.concat([Buffer.alloc(k), bytes]);
    const encoded = padded.toString(alphabet).replace(/=+$/, "");
    const start = k === 0 ? 0 : k === 1 ? 2 : 3;
    const total = padded.length;
    const rest = total % 3;
    const end = Math.floor(total / 3) * 4 + (rest === 1 ? 1 : rest === 2 ? 2 : 0);
    out.push(encoded.slice(start, end));
  }
  return out;
}
