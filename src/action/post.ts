/**
 * The composite's last step (`if: always()`): when `main` started a run but did not finish it — it
 * failed, the job timed out or was cancelled — the issue's status comment is put in a final state that
 * says so and points at the workflow run, instead of saying "running" forever.
 */
import * as core from "@actions/core";
import { issueEvidenceMarker } from "../flows/publish-run.js";
import { readContext } from "./context.js";
import { readPhaseState } from "./phase-state.js";
import { Redactor } from "../redaction/index.js";
import { tokenSecrets } from "./git-auth.js";
import { rawInput } from "./inputs.js";
import { githubForge } from "./session.js";

const ENDINGS: Record<string, string> = {
  cancelled: "⏹️ cancelled: the job was cancelled or timed out before the run could report",
  failure: "💥 failed: the action stopped before the run could report",
};

export default async function post(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const context = readContext(env);
  const state = readPhaseState(context.stateFile);
  if (!state || state.stage !== "started" || state.issue === undefined) {
    core.info("handoff: nothing to finalise");
    return;
  }
  const outcome = env.HANDOFF_MAIN_OUTCOME || "cancelled";
  const ending = ENDINGS[outcome] ?? ENDINGS.cancelled!;
  const token = rawInput(env, "github-token") || env.GITHUB_TOKEN || "";
  const secrets = tokenSecrets(token);
  for (const secret of secrets) core.setSecret(secret);
  const forge = await githubForge(context, token);
  const marker = issueEvidenceMarker(state.issue);
  const link = state.runUrl ? `\n\nSee the [workflow run](${state.runUrl}) for its log and evidence.` : "";
  const body = new Redactor({ secrets }).redact(
    `${marker}\n### Handoff run: ${ending}\n\nAgent \`${state.agent ?? "?"}\` on #${state.issue}.${link}\n`,
  );
  await forge.upsertComment(state.issue, marker, body);
  core.info(`handoff: status comment on #${state.issue} set to ${outcome}`);
}
