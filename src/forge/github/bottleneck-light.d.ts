// bottleneck's build without Redis support (what @octokit/plugin-throttling uses) ships no types of
// its own; its API is the full build's.
declare module "bottleneck/light.js" {
  import Bottleneck from "bottleneck";
  export default Bottleneck;
}
