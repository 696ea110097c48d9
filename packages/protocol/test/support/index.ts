/**
 * "@mpchat/protocol/testing": helpers for other packages' tests — bundle an
 * entry the way the mini program ships it and run it in a realm with only what
 * the mini program offers. Never imported from any package's src/.
 */
export { bundleForMiniProgram, type MiniProgramSandbox, miniProgramRealm } from "./mini-program-runtime";
