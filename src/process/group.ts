/**
 * The one process runner: every child that Handoff runs on someone's behalf — a playbook step, a
 * validator, an agent CLI — runs here as the leader of its own process group, so that a timeout or a stop
 * ends the whole tree with one `kill(-pid)` and nothing it started outlives it. The PTY path of the
 * runtimes (`runtimes/process.ts`) spawns through node-pty but arms its kill and keeps its output with
 * the same pieces ({@link armKill}, {@link OutputTail}).
 *
 * Two choices are made once, here:
 * - The grace between SIGTERM and SIGKILL is {@link KILL_GRACE_MS} (5 s) for every kind of child. An agent
 *   CLI needs a moment to write its session and transcript when it is stopped; a step or a validator that
 *   is being killed has already failed, so the longer grace costs only a process that ignores SIGTERM.
 * - A program that cannot start does not reject: the result carries `spawnError` and the exit code a
 *   shell would give (127 not found, 126 not executable), so a playbook step reports it like any failed
 *   command. Whoever needs a start failure to be an error (an agent that cannot start is a setup error,
 *   not an agent's failure) throws on `spawnError`.
 */
import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";

/** Between SIGTERM and SIGKILL of a process group, unless the caller says otherwise. */
export const KILL_GRACE_MS = 5_000;

/** How a stopped process was stopped: its timeout passed, or the abort signal fired. */
export type KilledBy = "timeout" | "stopped";

/** Sends `signal` to the whole process group led by `pid`; a group that is gone already is fine. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** What arms the kill of a process group: its timeout, its abort signal, the grace before SIGKILL. */
export interface KillOptions {
  /** Hard limit; the group gets SIGTERM, then SIGKILL after the grace. 0 or absent: no limit. */
  timeoutMs?: number;
  /** Aborting stops the group the same way. */
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL (default {@link KILL_GRACE_MS}). */
  killGraceMs?: number;
}

/**
 * Arms the timeout and the abort signal for the group led by `pid`: either sends SIGTERM, then SIGKILL
 * after the grace, and tells `onKill` why (once per cause). The returned function disarms both and
 * SIGKILLs the group, so whatever the leader left running in it (a dev server, a watcher) goes with it.
 */
export function armKill(pid: number, options: KillOptions, onKill: (why: KilledBy) => void): () => void {
  const grace = options.killGraceMs ?? KILL_GRACE_MS;
  let hardKill: NodeJS.Timeout | undefined;
  const stop = (why: KilledBy): void => {
    onKill(why);
    killGroup(pid, "SIGTERM");
    hardKill = setTimeout(() => killGroup(pid, "SIGKILL"), grace);
    hardKill.unref();
  };
  const timer = options.timeoutMs ? setTimeout(() => stop("timeout"), options.timeoutMs) : undefined;
  timer?.unref();
  const onAbort = (): void => stop("stopped");
  if (options.signal?.aborted) queueMicrotask(onAbort);
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  return () => {
    if (timer) clearTimeout(timer);
    if (hardKill) clearTimeout(hardKill);
    options.signal?.removeEventListener("abort", onAbort);
    killGroup(pid, "SIGKILL");
  };
}

/**
 * Lines handed to `onLine` (progress display, live parsing) are cut to this many bytes: a longer one
 * is a blob, not something to show, and holding it whole would double the memory the tail may take.
 */
export const MAX_LINE = 1024 * 1024;

/** The ring's block size: big enough that copies are cheap, small enough that a short output stays small. */
const BLOCK = 1024 * 1024;

/**
 * Keeps the last `max` bytes of a stream's UTF-8 (characters, for ASCII) — the head is dropped, never
 * the tail — and, when asked, hands each complete line to `onLine` as it arrives.
 *
 * Linear time and bounded memory whatever the output: the tail is a ring buffer of bytes, allocated in
 * blocks as the output grows (up to `max`) and overwritten in place after that, so a gigabyte of output
 * makes no garbage beyond the pipe's own chunks; text is decoded only when `text` is read. Lines are found with
 * one native scan of each chunk for `\n`; a line is gathered as a list of pieces and cut to its first
 * {@link MAX_LINE} bytes. (Appending to one string and slicing it copied the whole tail on every chunk past the
 * limit, and re-splitting the pending line made one long line without a newline quadratic.)
 */
export class OutputTail {
  /** The ring: fixed-size blocks allocated as the output grows, never more than `max` bytes in all. */
  private blocks: Buffer[] = [];
  private capacity = 0;
  private start = 0;
  private size = 0;
  private decoded: string | undefined = "";
  private line: Buffer[] = [];
  private lineSize = 0;
  constructor(
    private readonly max: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  /** The tail so far (a character cut at its head is left out). */
  get text(): string {
    if (this.decoded !== undefined) return this.decoded;
    let skipped = 0;
    while (skipped < 3 && skipped < this.size && (this.byteAt(this.start + skipped) & 0xc0) === 0x80)
      skipped++;
    const decoder = new StringDecoder("utf8");
    let text = "";
    // Block by block, as a rope: no copy of the whole tail is made here.
    for (let pos = this.start + skipped, left = this.size - skipped; left > 0;) {
      const at = pos % this.capacity;
      const block = this.blocks[Math.floor(at / BLOCK)]!;
      const offset = at % BLOCK;
      const n = Math.min(left, block.length - offset);
      text += decoder.write(block.subarray(offset, offset + n));
      pos += n;
      left -= n;
    }
    this.decoded = text + decoder.end();
    return this.decoded;
  }

  push(chunk: string | Buffer): void {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (!bytes.length) return;
    this.decoded = undefined;
    this.keep(bytes.length > this.max ? bytes.subarray(bytes.length - this.max) : bytes);
    if (this.onLine) this.splitLines(bytes);
  }

  /** Hands the last, unterminated line to `onLine`. */
  flush(): void {
    if (this.onLine && this.lineSize) this.emit(this.takeLine());
    this.line = [];
    this.lineSize = 0;
  }

  private byteAt(pos: number): number {
    const at = pos % this.capacity;
    return this.blocks[Math.floor(at / BLOCK)]![at % BLOCK]!;
  }

  private keep(bytes: Buffer): void {
    // Grow by whole blocks while the ring is not yet full (only then does it start to overwrite).
    while (this.capacity < this.max && this.size + bytes.length > this.capacity) {
      const block = Buffer.allocUnsafe(Math.min(BLOCK, this.max - this.capacity));
      this.blocks.push(block);
      this.capacity += block.length;
    }
    let pos = this.start + this.size;
    for (let from = 0; from < bytes.length;) {
      const at = pos % this.capacity;
      const block = this.blocks[Math.floor(at / BLOCK)]!;
      const offset = at % BLOCK;
      const n = bytes.copy(block, offset, from, Math.min(bytes.length, from + block.length - offset));
      from += n;
      pos += n;
    }
    this.size += bytes.length;
    if (this.size > this.capacity) {
      // Full: the oldest bytes were just overwritten.
      this.start = (this.start + this.size - this.capacity) % this.capacity;
      this.size = this.capacity;
    }
  }

  private splitLines(bytes: Buffer): void {
    let from = 0;
    for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, from)) {
      this.addToLine(bytes.subarray(from, nl));
      this.emit(this.takeLine());
      from = nl + 1;
    }
    // The rest is kept by reference to the pipe's chunk: copying it would cost as much again.
    if (from < bytes.length) this.addToLine(bytes.subarray(from));
  }

  private addToLine(piece: Buffer): void {
    const room = Math.min(this.max, MAX_LINE) - this.lineSize;
    if (room <= 0 || !piece.length) return;
    const kept = piece.length > room ? piece.subarray(0, room) : piece;
    this.line.push(kept);
    this.lineSize += kept.length;
  }

  private takeLine(): string {
    const line =
      this.line.length === 1 ? this.line[0]!.toString("utf8") : Buffer.concat(this.line).toString("utf8");
    this.line = [];
    this.lineSize = 0;
    return line;
  }

  private emit(line: string): void {
    this.onLine!(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
}

/**
 * Cuts a stream of UTF-8 bytes at character boundaries: each call returns the chunk's whole characters
 * and holds back a character split across reads until the next call, so output interleaved from two
 * pipes never splits one.
 */
function wholeCharacters(): (chunk: Buffer | undefined) => Buffer {
  let held: Buffer | undefined;
  return (chunk) => {
    const bytes = held && chunk ? Buffer.concat([held, chunk]) : (chunk ?? held ?? Buffer.alloc(0));
    held = undefined;
    if (!chunk) return bytes; // the stream ended: whatever is held goes out as it is
    let lead = bytes.length - 1;
    while (lead > bytes.length - 4 && lead > 0 && (bytes[lead]! & 0xc0) === 0x80) lead--;
    const b = bytes[lead] ?? 0;
    const width = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (lead + width <= bytes.length) return bytes;
    held = Buffer.from(bytes.subarray(lead));
    return bytes.subarray(0, lead);
  };
}

/** Options of {@link runProcessGroup}. */
export interface ProcessGroupOptions extends KillOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  /** Keep at most this many characters of each stream (the tail). */
  maxOutputChars: number;
  /** Called with each complete stdout line as it arrives (progress, live parsing). */
  onLine?: (line: string) => void;
  /** Keep stderr in the same tail as stdout, in the order the two arrived (`stderr` is then empty). */
  interleave?: boolean;
  /** Called once the group exists, with the leader's pid (to measure the tree, say). */
  onSpawn?: (pid: number) => void;
}

/** How a process group ended. Never a rejection: see `spawnError`. */
export interface ProcessGroupResult {
  /** The exit code; null when a signal ended the leader. 127/126 when it could not start. */
  exitCode: number | null;
  /** The signal that ended the leader, if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when Handoff killed the group. */
  killed?: KilledBy;
  /** Why the program could not start (its ENOENT, EACCES… error); the group never existed. */
  spawnError?: NodeJS.ErrnoException;
  durationMs: number;
}

/**
 * Runs argv without a shell as the leader of a new process group (`detached: true`). When the leader
 * exits, the rest of its group is killed at once; the result waits for the pipes to close, but no longer
 * than the grace, because a process that escaped the group (setsid) may hold them open.
 */
export function runProcessGroup(
  argv: readonly [string, ...string[]],
  options: ProcessGroupOptions,
): Promise<ProcessGroupResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const stdout = new OutputTail(options.maxOutputChars, options.onLine);
    const stderr = options.interleave ? stdout : new OutputTail(options.maxOutputChars);
    let exitCode: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let killed: KilledBy | undefined;
    let spawnError: NodeJS.ErrnoException | undefined;
    let settled = false;
    let disarm = (): void => undefined;
    let drain: NodeJS.Timeout | undefined;

    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      shell: false,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const finish = (): void => {
      if (settled) return;
      settled = true;
      if (drain) clearTimeout(drain);
      disarm();
      stdout.flush();
      const result: ProcessGroupResult = {
        exitCode,
        signal,
        stdout: stdout.text,
        stderr: options.interleave ? "" : stderr.text,
        durationMs: Math.round(performance.now() - started),
      };
      if (killed) result.killed = killed;
      if (spawnError) result.spawnError = spawnError;
      resolve(result);
    };

    child.on("error", (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // Only a failed start is reported through "error".
      spawnError = error;
      exitCode = error.code === "ENOENT" ? 127 : error.code === "EACCES" ? 126 : null;
      finish();
    });
    if (child.pid === undefined) return;
    const pid = child.pid;
    options.onSpawn?.(pid);
    disarm = armKill(pid, options, (why) => (killed ??= why));
    // Both are pipes (see `stdio` above), read as bytes: the tail decodes once, when it is read.
    const [out, err] = [wholeCharacters(), wholeCharacters()];
    child.stdout!.on("data", (chunk: Buffer) => stdout.push(out(chunk)));
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(err(chunk)));
    child.stdout!.on("end", () => stdout.push(out(undefined)));
    child.stderr!.on("end", () => stderr.push(err(undefined)));
    if (child.stdin) {
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.stdin ?? "");
    }
    child.on("exit", (code, sig) => {
      exitCode = code;
      signal = sig;
      killGroup(pid, "SIGKILL");
      drain = setTimeout(finish, options.killGraceMs ?? KILL_GRACE_MS);
      drain.unref();
    });
    child.on("close", finish);
  });
}
