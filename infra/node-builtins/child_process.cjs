// See infra/bundling.ts (builtins): the bare name, which no alias catches.
// biome-ignore lint/style/useNodejsImportProtocol: `node:child_process` is aliased to this file.
module.exports = require('child_process');
