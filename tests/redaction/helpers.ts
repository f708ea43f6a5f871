import type { Redactor } from "../../src/redaction/index.js";

/** Feeds `chunks` through a fresh `redactor.stream()` and returns everything it wrote. */
export async function throughStream(
  redactor: Redactor,
  chunks: readonly (string | Buffer)[],
): Promise<string> {
  const stream = redactor.stream();
  const out: Buffer[] = [];
  stream.on("data", (data: Buffer | string) => out.push(Buffer.from(data)));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return Buffer.concat(out).toString("utf8");
}

/** Splits text into pieces of `size` characters. */
export function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
