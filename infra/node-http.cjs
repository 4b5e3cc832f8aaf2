// Functions get node:http through require, as Lambda's runtime loads it. An ESM `import` of
// node:http (one in @middy/util, for STATUS_CODES) makes Node read every export of the
// module, and one of them loads the bundled undici: ~20 ms of each cold start for nothing
// (bench:cold). esbuild aliases `node:http` here (infra/bundling.ts); `http` is not aliased.
module.exports = require('http');
