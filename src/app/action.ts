// The app inside GitHub Actions (.github/workflows/handoff-app.yml): the same handlers, fed the
// workflow's event, authenticated with GITHUB_TOKEN; no server to host.
import { run } from "@probot/adapter-github-actions";
import handoffApp from "./index.js";

// The adapter bundles its own Probot (13); the handlers use only what both versions share.
await run(handoffApp as unknown as Parameters<typeof run>[0]);
