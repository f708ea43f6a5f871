import { StringDecoder } from "node:string_decoder";
import { Transform, type TransformCallback } from "node:stream";
import { type Engine, newRenderState, render } from "./engine.js";

/** Characters kept before the rescan point so rules can look at what precedes a trigger. */
const CONTEXT = 32;

/**
 * A Transform that redacts text flowing through it. It decodes UTF-8 itself (a multi-byte character
 * split between chunks stays whole), scans each chunk together with the unsettled tail of the previous
 * one, and writes only settled text, so a secret split across chunks (even one byte per chunk) is
 * masked exactly as `redact()` masks it in one piece. The held tail is bounded (at most the longest
 * possible match), so memory stays flat whatever the input size.
 */
export class RedactStream extends Transform {
  private readonly decoder = new StringDecoder("utf8");
  /** Unsettled text; its first `context` characters were already written and are there for look-behind. */
  private pending = "";
  private context = 0;
  private readonly state = newRenderState();

  constructor(private readonly engine: () => Engine) {
    // A 256 KiB readable buffer lets a whole 64 KiB chunk through without a backpressure round trip.
    super({ decodeStrings: false, readableHighWaterMark: 1 << 18 });
  }

  /** Masks written so far, by kind (`secret`, `github-token`, …). */
  get counts(): ReadonlyMap<string, number> {
    return this.state.counts;
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, done: TransformCallback): void {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    this.process(text, false);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.process(this.decoder.end(), true);
    done();
  }

  private process(input: string, final: boolean): void {
    if (input.length === 0 && !final) return;
    const text = this.pending + input;
    const scan = this.engine().scan(text, this.context, final, input, this.pending.length);
    const out = render(text, scan, this.state, final);
    if (out.length) this.push(out);
    const keepFrom = Math.max(0, scan.safe - CONTEXT);
    this.pending = text.slice(keepFrom);
    this.context = scan.safe - keepFrom;
    this.state.cursor -= keepFrom;
    this.state.maskEnd -= keepFrom;
  }
}
