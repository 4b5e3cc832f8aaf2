// See infra/bundling.ts (builtins): the bare name, which no alias catches.
// biome-ignore lint/style/useNodejsImportProtocol: `node:events` is aliased to this file.
module.exports = require('events');
