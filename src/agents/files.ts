import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";

/**
 * Checks that `rel` names an existing file (or folder) inside `root`, following symlinks, and returns
 * why not, or undefined. A definition must not reach outside its folder: agents are shared and shipped.
 */
export async function insideProblem(
  root: string,
  rel: string,
  kind: "file" | "dir",
): Promise<string | undefined> {
  if (isAbsolute(rel) || rel.split(/[\\/]/).includes("..")) {
    return `"${rel}" must be a relative path inside the agent folder`;
  }
  const full = resolve(root, rel);
  let real: string;
  try {
    real = await realpath(full);
  } catch {
    return `${kind === "dir" ? "folder" : "file"} "${rel}" does not exist`;
  }
  const realRoot = await realpath(root);
  const back = relative(realRoot, real);
  if (back === ".." || back.startsWith(`..${sep}`) || isAbsolute(back)) {
    return `"${rel}" resolves outside the agent folder`;
  }
  const info = await stat(real);
  if (kind === "file" && !info.isFile()) return `"${rel}" is not a file`;
  if (kind === "dir" && !info.isDirectory()) return `"${rel}" is not a folder`;
  return undefined;
}

/** True when `full` exists and is a file. */
export async function isFile(full: string): Promise<boolean> {
  try {
    return (await stat(full)).isFile();
  } catch {
    return false;
  }
}
