/**
 * The forge port and its local implementation. The GitHub implementation lives in `./github/` and is
 * imported only by the faces (CLI, app, Action), so the core never loads Octokit.
 */
export * from "./types.js";
export { marker, checkMarkedBody, findMarked, DEFAULT_LABEL_COLOR } from "./markers.js";
export { publishPullRequest, type PublishPullRequestInput } from "./pull-requests.js";
export { LocalForge, type LocalDispatch, type LocalForgeOptions } from "./local/forge.js";
export { localForgeDir } from "./local/store.js";
export { workflowRunTitle, issueOfRunTitle } from "./run-title.js";
