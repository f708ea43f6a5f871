// An example pipeline: turns a list of commits into release notes with two LLM calls.
//
// It is written like any pipeline that uses Handoff's LLM client. With no API keys and the default
// THINK mode (LLM_EXEC_SLOT=3) each call becomes a pending LLM task and the pipeline stops with exit
// code 75; once the tasks are answered, the same command runs to the end.
//
//   node examples/release-notes.mjs            # from a folder where the queue should live
import { complete, TaskPending } from "handoff";

const commits = [
  "feat(queue): claim a task so two agents never answer the same one",
  "fix(cli): `handoff queue list --json` prints an empty array for an empty queue",
  "feat(llm): remember a failed API call and show it in the next pending task",
  "docs: runbook for answering JSON tasks",
];

const system = { role: "system", content: "You write concise, accurate release notes for developers." };

// The two calls do not depend on each other, so both are asked before the pipeline stops: one
// round of answers is enough.
const calls = [
  complete({
    task: "release_notes.summarize",
    messages: [
      system,
      {
        role: "user",
        content: `Summarise these commits in two sentences for the release notes:\n${commits.join("\n")}`,
      },
    ],
    options: { temperature: 0.2 },
  }),
  complete({
    task: "release_notes.classify",
    messages: [
      system,
      {
        role: "user",
        content: `Classify each commit as feature, fix or docs. Commits:\n${commits.join("\n")}`,
      },
    ],
    responseFormat: {
      type: "json_schema",
      json_schema: {
        name: "classification",
        schema: {
          type: "object",
          required: ["feature", "fix", "docs"],
          additionalProperties: false,
          properties: {
            feature: { type: "array", items: { type: "string" } },
            fix: { type: "array", items: { type: "string" } },
            docs: { type: "array", items: { type: "string" } },
          },
        },
      },
    },
  }),
];

const settled = await Promise.allSettled(calls);
const waiting = settled.filter((s) => s.status === "rejected" && s.reason instanceof TaskPending);
const failed = settled.find((s) => s.status === "rejected" && !(s.reason instanceof TaskPending));
if (failed) {
  // A real error (bad input, API failure): report it in one line and exit with Handoff's code for it.
  console.error(`release-notes: ${failed.reason.message}`);
  process.exit(failed.reason.exitCode ?? 1);
}
if (waiting.length > 0) {
  for (const { reason } of waiting) console.error(`waiting for an answer: ${reason.taskId}`);
  console.error(`${waiting.length} LLM task(s) pending; answer them, then rerun this command.`);
  process.exit(75);
}

const [summary, classification] = settled.map((s) => s.value);
const groups = JSON.parse(classification);
console.log("# Release notes\n");
console.log(`${summary.trim()}\n`);
for (const [title, key] of [
  ["Features", "feature"],
  ["Fixes", "fix"],
  ["Documentation", "docs"],
]) {
  if (groups[key].length === 0) continue;
  console.log(`## ${title}`);
  for (const line of groups[key]) console.log(`- ${line}`);
  console.log("");
}
