// The cycle check of `pnpm test` (issue 25): no module of packages/*/src may import itself back,
// type-only imports included, since a shared type belongs in a file below both of its users.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what the modules share into a file of its own that both import.',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^packages/[^/]+/src/',
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: `import type` cycles are still two files that each need the other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
