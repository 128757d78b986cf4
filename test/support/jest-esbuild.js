/**
 * jest transform: TypeScript → CommonJS with esbuild (already the functions' bundler), type
 * stripping only. Type-checking is `npm test`'s first step (scripts/typecheck.ts), so jest needs
 * none; this replaces ts-jest, whose TypeScript compiler each worker loads and runs cold on a fresh
 * clone (the CI case: no transform cache).
 *
 * Same output semantics as tsc with our tsconfig: isolatedModules (each file alone), ES2021 syntax
 * (class fields assigned in the constructor, as useDefineForClassFields=false), esModuleInterop
 * default imports. Nothing in the tests uses jest.mock, so no hoisting is needed (and the standards
 * forbid mocking our modules, the SDK, http or crypto).
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync, version } = require('esbuild');

const tsconfig = JSON.parse(readFileSync(join(__dirname, '..', '..', 'tsconfig.json'), 'utf8'));
const tsconfigRaw = { compilerOptions: { target: tsconfig.compilerOptions.target, useDefineForClassFields: false, esModuleInterop: true } };
// The cache key covers this file's own text, so a change of options here invalidates jest's cache.
const OPTIONS_KEY = JSON.stringify({ version, tsconfigRaw, self: readFileSync(__filename, 'utf8') });

module.exports = {
  process(source, filename) {
    const out = transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      target: tsconfig.compilerOptions.target.toLowerCase(),
      sourcemap: 'external',
      sourcesContent: false,
      sourcefile: filename,
      tsconfigRaw,
      // `await import(x)` becomes a require, as tsc emits it for module=commonjs (jest's vm has no ESM loader).
      supported: { 'dynamic-import': false },
    });
    return { code: out.code, map: out.map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(OPTIONS_KEY).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
