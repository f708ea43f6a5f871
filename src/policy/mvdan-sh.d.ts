// `mvdan-sh` ships no types; shell.ts describes the part of its API the policy uses.
declare module "mvdan-sh" {
  const mvdanSh: { syntax: unknown };
  export default mvdanSh;
  export const syntax: unknown;
}
