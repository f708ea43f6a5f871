// An example pipeline: turns a list of commits into release notes with two LLM calls.
//
// It is written like any pipeline that uses Handoff's LLM client. With no API keys and the default
// THINK mode (LLM_EXEC_SLOT=3) each call becomes a pending LLM task and the pipeline stops with exit
// code 75; once the tasks are answered, the same command runs to the end.
//
//   node examples/release-notes.mjs            # from a folder where the queue should live
import { completeAll, runPipeline } from "handoff";

const commits = [
  "feat(queue): claim a task so two agents never answer the same one",
  "fix(cli): `handoff queue list --json` prints an empty array for an empty queue",
  "feat(llm): remember a failed API call and show it in the next pending task",
  "docs: runbook for answering JSON tasks",
];

const system = { role: "system", content: "You write concise, accurate release notes for developers." };

const summarize = {
  task: "release_notes.summarize",
  messages: [
    system,
    {
      role: "user",
      content: `Summarise these commits in two sentences for the release notes:\n${commits.join("\n")}`,
    },
  ],
  options: { temperature: 0.2 },
};

const classify = {
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
};

// runPipeline turns "an LLM task is pending" into exit code 75 with one line on stderr.
await runPipeline(async () => {
  // The two calls do not depend on each other: completeAll asks both before stopping, so one round of
  // answers is enough.
  const [summary, classification] = await completeAll([summarize, classify]);
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
}, "release-notes");
