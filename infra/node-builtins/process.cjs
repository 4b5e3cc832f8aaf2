// See infra/bundling.ts (builtins): the global, as `node:process` exports it.
module.exports = process;
