/**
 * Runs action.yml's composite steps in order, the way the runner does: each step's `if:` is evaluated,
 * `${{ }}` in `env:` and `with:` is expanded from the inputs (with action.yml's defaults), the steps'
 * outputs, `github.*` and `runner.*`; a `run:` step runs under its `shell:` (bash as
 * `bash --noprofile --norc -eo pipefail`) with its own GITHUB_OUTPUT, and GITHUB_PATH additions reach
 * later steps. `uses:` steps cannot run here: a test supplies what each one does (`uses` handlers).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { parseOutputFile } from "./action.js";

interface StepSpec {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionSpec {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: StepSpec[] };
}

export interface StepRecord {
  id?: string;
  uses?: string;
  skipped: boolean;
  outcome: "success" | "failure" | "skipped";
  stdout: string;
  stderr: string;
  env: Record<string, string>;
  with: Record<string, string>;
}

export interface CompositeResult {
  steps: StepRecord[];
  /** action.yml's outputs, evaluated. */
  outputs: Record<string, string>;
}

type Context = Record<string, unknown>;
/** What a `uses:` step does in the test: its outputs, given its evaluated `with:`. */
export type UsesHandler = (
  input: Record<string, string>,
) => Promise<Record<string, string>> | Record<string, string>;

function lookup(ctx: Context, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], ctx);
}

/** A small evaluator for the expressions action.yml uses: paths, 'strings', ==, !=, &&, ||, !, always(). */
export function evaluate(expression: string, ctx: Context): unknown {
  const tokens = expression.match(/'(?:[^']|'')*'|==|!=|&&|\|\||!|\(|\)|[A-Za-z_][\w.-]*(?:\(\))?/g) ?? [];
  let i = 0;
  const primary = (): unknown => {
    const t = tokens[i++] ?? "";
    if (t === "(") {
      const v = or();
      i++;
      return v;
    }
    if (t === "!") return !primary();
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === "always()" || t === "true") return true;
    if (t === "success()") return ctx.__failed !== true;
    if (t === "false") return false;
    return lookup(ctx, t) ?? "";
  };
  const compare = (): unknown => {
    let left = primary();
    while (tokens[i] === "==" || tokens[i] === "!=") {
      const op = tokens[i++];
      const right = primary();
      const equal = String(left).toLowerCase() === String(right).toLowerCase();
      left = op === "==" ? equal : !equal;
    }
    return left;
  };
  const and = (): unknown => {
    let left = compare();
    while (tokens[i] === "&&") {
      i++;
      const right = compare();
      left = left ? right : left;
    }
    return left;
  };
  const or = (): unknown => {
    let left = and();
    while (tokens[i] === "||") {
      i++;
      const right = and();
      left = left ? left : right;
    }
    return left;
  };
  return or();
}

function expand(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const value = evaluate(expr, ctx);
    return value === undefined || value === null ? "" : String(value);
  });
}

function runShell(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { env, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export async function runComposite(options: {
  actionPath: string;
  inputs: Record<string, string>;
  /** The job's environment (GITHUB_*, RUNNER_*, PATH, HOME…), without INPUT_* variables. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  uses?: Record<string, UsesHandler>;
  /** `runner.os` (default Linux). */
  runnerOs?: string;
}): Promise<CompositeResult> {
  const spec = parse(readFileSync(join(options.actionPath, "action.yml"), "utf8")) as ActionSpec;
  if (spec.runs.using !== "composite") throw new Error("not a composite action");
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.inputs))
    inputs[name] = options.inputs[name] ?? (input.default?.includes("${{") ? "" : (input.default ?? ""));
  const stepsCtx: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const env: NodeJS.ProcessEnv = { ...options.env, GITHUB_ACTION_PATH: options.actionPath };
  const ctx: Context = {
    inputs,
    steps: stepsCtx,
    github: {
      job: "run",
      run_id: env.GITHUB_RUN_ID ?? "1",
      run_attempt: env.GITHUB_RUN_ATTEMPT ?? "1",
      token: "",
    },
    runner: { os: options.runnerOs ?? "Linux", arch: "X64", temp: env.RUNNER_TEMP },
  };
  const records: StepRecord[] = [];
  let pathAdditions: string[] = [];
  for (const [index, step] of spec.runs.steps.entries()) {
    const condition = step.if ?? "success()";
    const run = Boolean(evaluate(condition.replace(/^\$\{\{\s*|\s*\}\}$/g, ""), ctx));
    const stepEnv: Record<string, string> = {};
    const withInputs: Record<string, string> = {};
    const record: StepRecord = {
      skipped: !run,
      outcome: "skipped",
      stdout: "",
      stderr: "",
      env: stepEnv,
      with: withInputs,
    };
    if (step.id) record.id = step.id;
    if (step.uses) record.uses = step.uses;
    records.push(record);
    if (step.id) stepsCtx[step.id] = { outputs: {}, outcome: "skipped" };
    if (!run) continue;
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = expand(String(v), ctx);
    for (const [k, v] of Object.entries(step.with ?? {})) withInputs[k] = expand(String(v), ctx);
    let outputs: Record<string, string> = {};
    let ok: boolean;
    if (step.uses) {
      const name = step.uses.split("@")[0]!;
      const handler = options.uses?.[name];
      if (!handler) throw new Error(`step ${index}: no handler for ${name} in this test`);
      outputs = await handler(withInputs);
      ok = true;
    } else {
      if (step.shell !== "bash") throw new Error(`step ${index}: shell ${step.shell} is not bash`);
      const outputFile = join(env.RUNNER_TEMP!, `composite-output-${index}`);
      const pathFile = join(env.RUNNER_TEMP!, `composite-path-${index}`);
      await writeFile(outputFile, "");
      await writeFile(pathFile, "");
      const result = await runShell(
        step.run!,
        {
          ...env,
          PATH: [...pathAdditions, env.PATH].join(":"),
          ...stepEnv,
          GITHUB_OUTPUT: outputFile,
          GITHUB_PATH: pathFile,
        },
        options.cwd,
      );
      record.stdout = result.stdout;
      record.stderr = result.stderr;
      outputs = parseOutputFile(await readFile(outputFile, "utf8"));
      pathAdditions = [
        ...(await readFile(pathFile, "utf8")).split("\n").filter(Boolean).reverse(),
        ...pathAdditions,
      ];
      ok = result.code === 0;
    }
    record.outcome = ok ? "success" : "failure";
    if (step.id) stepsCtx[step.id] = { outputs, outcome: record.outcome };
    if (!ok) ctx.__failed = true;
  }
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(spec.outputs)) outputs[name] = expand(output.value, ctx);
  return { steps: records, outputs };
}
