import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutputTail, runProcessGroup } from "../../src/process/group.js";

/** What the tail must equal: the naive reading of the whole stream, in UTF-8 bytes. */
function model(chunks: string[], max: number) {
  const all = Buffer.from(chunks.join(""), "utf8");
  let from = Math.max(0, all.length - max);
  for (let n = 0; n < 3 && from < all.length && (all[from]! & 0xc0) === 0x80; n++) from++;
  const lines: string[] = [];
  let start = 0;
  for (let nl = all.indexOf(10); nl !== -1; nl = all.indexOf(10, start)) {
    lines.push(all.subarray(start, Math.min(nl, start + max)).toString("utf8"));
    start = nl + 1;
  }
  if (start < all.length) lines.push(all.subarray(start, Math.min(all.length, start + max)).toString("utf8"));
  return {
    text: all.subarray(from).toString("utf8"),
    lines: lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)),
  };
}

describe("the output tail (issue 13 §8)", () => {
  it("keeps exactly the last max bytes and every line, whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", "b", "\n", "\r", "é", "🙂"), maxLength: 40 }), {
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 3 }),
        (chunks, max, reads) => {
          const lines: string[] = [];
          const tail = new OutputTail(max, (line) => lines.push(line));
          chunks.forEach((chunk, i) => {
            tail.push(chunk);
            // Reading the text midway must not change what comes after.
            if (reads && i % (reads + 1) === 0)
              expect(tail.text).toBe(model(chunks.slice(0, i + 1), max).text);
          });
          tail.flush();
          const expected = model(chunks, max);
          expect(tail.text).toBe(expected.text);
          expect(lines).toEqual(expected.lines);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("cuts a line longer than the tail to its first max bytes, so one endless line stays bounded", () => {
    const lines: string[] = [];
    const tail = new OutputTail(1000, (line) => lines.push(line));
    for (let i = 0; i < 10_000; i++) tail.push("x".repeat(99) + String(i % 10));
    tail.push("\nshort\n");
    expect(lines.map((l) => l.length)).toEqual([1000, 5]);
    expect(lines[0]).toBe(Array.from({ length: 10 }, (_, i) => "x".repeat(99) + String(i)).join(""));
    expect(tail.text).toHaveLength(1000);
    expect(tail.text.endsWith("9\nshort\n")).toBe(true);
  });

  it("a real child's 200 MB of output: the last characters kept, whole lines handed out", async () => {
    const script =
      "const line='y'.repeat(1023)+'\\n';const block=line.repeat(1024);let n=0;" +
      "const w=()=>{while(n<200){n++;if(!process.stdout.write(n===200?block+'end':block))return process.stdout.once('drain',w)}};w()";
    let count = 0;
    const result = await runProcessGroup([process.execPath, "-e", script], {
      cwd: process.cwd(),
      env: process.env,
      maxOutputChars: 4096,
      onLine: () => count++,
    });
    expect(result.exitCode).toBe(0);
    expect(count).toBe(200 * 1024 + 1);
    expect(result.stdout).toHaveLength(4096);
    expect(result.stdout.endsWith(`${"y".repeat(1023)}\nend`)).toBe(true);
  }, 120_000);
});
