// The app's server alone in its own process, for the benchmarks (bench/app-server.ts starts it), so
// its peak RSS is the server's and nothing else's: Handoff's app, or bare Probot with a no-op handler
// (`bare`), configured by Probot's standard environment. Retry on, throttling off: the instant API has
// no limits, and the throttle's spacing of writes is a deliberate wait, not work the app does.
import { run } from "probot";
import { createHandoffApp } from "../src/app/index.js";
import { appOctokit } from "../src/app/octokit.js";

const bare = process.argv.includes("bare");
await run(
  bare
    ? (app) => {
        app.on("issue_comment.created", async () => {});
        app.on("issues.labeled", async () => {});
      }
    : createHandoffApp(),
  { env: process.env, Octokit: appOctokit({ retries: true, throttle: false }) },
);
process.stdout.write("ready\n");
