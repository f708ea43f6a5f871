// `npm start`: the app as a web server, configured by Probot's standard environment (see .env.example).
// Without APP_ID and a private key, Probot's setup flow registers a new app from app.yml.
import { run } from "probot";
import handoffApp from "./index.js";
import { appOctokit } from "./octokit.js";

await run(handoffApp, { Octokit: appOctokit() });
