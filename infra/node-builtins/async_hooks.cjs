// See infra/bundling.ts (builtins): the bare name, which no alias catches.
// biome-ignore lint/style/useNodejsImportProtocol: `node:async_hooks` is aliased to this file.
module.exports = require('async_hooks');
