/**
 * git over HTTPS with the action's token, one command at a time: the token rides on each command line
 * as `-c http.<server>/.extraheader=AUTHORIZATION: basic …` (the header GitHub accepts for
 * `x-access-token`), scoped to the forge's server, and is never written to `.git/config` where the
 * agent or a later step could read it.
 */
import type { GitOptions } from "../git/git.js";

/** The git options that authenticate every command to `serverUrl` with `token` (none without a token). */
export function gitAuthOptions(serverUrl: string, token: string): Pick<GitOptions, "config"> {
  if (!token) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    config: { [`http.${serverUrl.replace(/\/+$/, "")}/.extraheader`]: `AUTHORIZATION: basic ${basic}` },
  };
}

/** The forms of the token that could show up in output: itself and its basic-auth encoding. */
export function tokenSecrets(token: string): string[] {
  if (!token) return [];
  return [token, Buffer.from(`x-access-token:${token}`).toString("base64")];
}
