/**
 * What the runner tells the action about the job, from its standard environment variables
 * (`GITHUB_REPOSITORY`, `GITHUB_SERVER_URL`, `GITHUB_API_URL`, `GITHUB_EVENT_PATH`, …), parsed with one
 * schema so a missing or malformed variable is named.
 */
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { UsageError } from "../errors.js";
import { apiUrlFromEnv, parseRepository } from "../forge/github/index.js";
import type { RepoRef } from "../forge/types.js";

const EnvSchema = z.object({
  GITHUB_REPOSITORY: z.string({ message: "is not set (the runner sets it)" }),
  GITHUB_SERVER_URL: z.string().url().default("https://github.com"),
  GITHUB_API_URL: z.string().url().optional(),
  GITHUB_WORKSPACE: z.string().optional(),
  GITHUB_EVENT_NAME: z.string().default("workflow_dispatch"),
  GITHUB_EVENT_PATH: z.string().optional(),
  GITHUB_ACTOR: z.string().optional(),
  GITHUB_TRIGGERING_ACTOR: z.string().optional(),
  GITHUB_RUN_ID: z.string().optional(),
  GITHUB_RUN_ATTEMPT: z.string().optional(),
  GITHUB_ACTION: z.string().optional(),
  RUNNER_TEMP: z.string().optional(),
});

/** The parts of the event payload the action reads (issue events started without the app). */
const EventSchema = z
  .object({
    action: z.string().optional(),
    label: z.object({ name: z.string() }).optional(),
    issue: z.object({ number: z.number().int().positive() }).optional(),
    sender: z.object({ login: z.string(), type: z.string().optional() }).optional(),
  })
  .passthrough();
export type ActionEvent = z.infer<typeof EventSchema>;

export interface ActionContext {
  repo: RepoRef;
  serverUrl: string;
  apiUrl: string;
  workspace: string;
  eventName: string;
  event: ActionEvent;
  /** Who started the run: the triggering actor (a re-run's), else the actor. */
  actor?: string;
  /** The browser URL of this workflow run, when known. */
  runUrl?: string;
  /** Where the action's phases leave notes for each other (plan → main → post). */
  stateFile: string;
}

export function readContext(env: NodeJS.ProcessEnv = process.env): ActionContext {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`environment variable ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  const { owner, repo } = parseRepository(e.GITHUB_REPOSITORY, "GITHUB_REPOSITORY");
  let event: ActionEvent = {};
  if (e.GITHUB_EVENT_PATH && existsSync(e.GITHUB_EVENT_PATH)) {
    const result = EventSchema.safeParse(JSON.parse(readFileSync(e.GITHUB_EVENT_PATH, "utf8")));
    if (!result.success)
      throw new UsageError(`GITHUB_EVENT_PATH ${e.GITHUB_EVENT_PATH}: not a GitHub event payload`);
    event = result.data;
  }
  const serverUrl = e.GITHUB_SERVER_URL.replace(/\/+$/, "");
  const temp = e.RUNNER_TEMP ?? tmpdir();
  const stateKey = `${e.GITHUB_RUN_ID ?? "local"}-${(e.GITHUB_ACTION ?? "handoff").replace(/[^\w.-]/g, "_")}`;
  return {
    repo: { owner, repo },
    serverUrl,
    apiUrl: apiUrlFromEnv(env),
    workspace: resolve(e.GITHUB_WORKSPACE ?? process.cwd()),
    eventName: e.GITHUB_EVENT_NAME,
    event,
    ...(e.GITHUB_TRIGGERING_ACTOR || e.GITHUB_ACTOR
      ? { actor: e.GITHUB_TRIGGERING_ACTOR || e.GITHUB_ACTOR }
      : {}),
    ...(e.GITHUB_RUN_ID ? { runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${e.GITHUB_RUN_ID}` } : {}),
    stateFile: join(temp, `handoff-action-${stateKey}.json`),
  };
}
