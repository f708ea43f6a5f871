import { createHash } from "node:crypto";
import { appendFile, mkdir, readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Redactor } from "../redaction/index.js";
import { parseJsonText, parseWith, readConfigText } from "../util/validate.js";
import { BULKY_FIELDS, type Digest, LedgerRecord, type LedgerEventInput } from "./types.js";

/** The ledger file of every evidence folder (the name the source design uses, see docs/seeds.md). */
export const LEDGER_FILE = "ci_evidence.jsonl";

/** Who is writing: every record of this Ledger carries these. */
export interface LedgerOptions {
  /** Id of the run; every record repeats it so ledgers of several runs can share one file. */
  runId: string;
  /** Agent name (`agents/<name>`). */
  agent: string;
  /** Issue number of the job, when the run works on one. */
  issue?: number | null;
  /** Masks secrets in every record; a Redactor with no registered secrets still masks token shapes. */
  redactor?: Redactor;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Per file (resolved path): the append queue and the last sequence number, shared by every Ledger. */
const files = new Map<string, { queue: Promise<unknown>; seq: number | undefined }>();

/** The SHA-256 and size of a text, as the ledger stores bulky content. */
export function digestOf(text: string): Digest {
  return { sha256: createHash("sha256").update(text, "utf8").digest("hex"), bytes: Buffer.byteLength(text) };
}

/**
 * The append-only evidence ledger (`ci_evidence.jsonl`): one JSON record per line, one line per event.
 * Records carry the run id, agent, issue, an ISO timestamp and a sequence number; prompts, agent output
 * and diffs are stored as SHA-256 digests of their redacted text, never as content. Every record goes
 * through the redactor. Appends to one file are serialized within the process (each record is one
 * `write` with O_APPEND), so concurrent appends never interleave and sequence numbers never repeat.
 * Several processes writing one ledger at once are not supported.
 */
export class Ledger {
  readonly file: string;
  private readonly redactor: Redactor;
  private readonly now: () => Date;

  constructor(
    file: string,
    private readonly options: LedgerOptions,
  ) {
    this.file = resolve(file);
    this.redactor = options.redactor ?? new Redactor();
    this.now = options.now ?? (() => new Date());
  }

  /** Appends one event; resolves with the record as written. */
  append(event: LedgerEventInput): Promise<LedgerRecord> {
    let state = files.get(this.file);
    if (!state) {
      state = { queue: Promise.resolve(), seq: undefined };
      files.set(this.file, state);
    }
    const entry = state;
    const ts = this.now().toISOString();
    const result = entry.queue.then(async () => {
      // The file may have been removed since (a clean run): then numbering starts again at 1.
      entry.seq = (await exists(this.file)) ? (entry.seq ?? (await lastSeq(this.file))) : 0;
      const record = this.record(event, entry.seq + 1, ts);
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, `${JSON.stringify(record)}\n`, { encoding: "utf8", flag: "a" });
      entry.seq = record.seq;
      return record;
    });
    // A failed append rejects its own promise but does not block the ones queued after it.
    entry.queue = result.catch(() => undefined);
    return result;
  }

  private record(event: LedgerEventInput, seq: number, ts: string): LedgerRecord {
    const fields: Record<string, unknown> = { ...event };
    for (const key of BULKY_FIELDS) {
      const value = fields[key];
      if (typeof value === "string") fields[key] = digestOf(this.redactor.redact(value));
    }
    const { runId, agent, issue } = this.options;
    const raw = { v: 1, seq, ts, run_id: runId, agent, issue: issue ?? null, ...fields };
    return parseWith(LedgerRecord, this.redactor.redactValue(raw), `ledger event ${event.kind}`);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** The sequence number of the last record in `file` (0 when the file does not exist or is empty). */
async function lastSeq(file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  const lines = text.trimEnd().split("\n");
  const last = lines[lines.length - 1];
  if (!last) return 0;
  const parsed = parseWith(
    LedgerRecord,
    parseJsonText(last, `${file}:${lines.length}`),
    `${file}:${lines.length}`,
  );
  return parsed.seq;
}

/** Reads and validates every record of a ledger; errors name the file and line. */
export async function readLedger(file: string): Promise<LedgerRecord[]> {
  const text = await readConfigText(file);
  const records: LedgerRecord[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const source = `${file}:${index + 1}`;
    records.push(parseWith(LedgerRecord, parseJsonText(line, source), source));
  });
  return records;
}
