/** Boundaries that `npm test` checks before any test runs (STYLE.md habits 1 and 3). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Deciders and events import no framework, database or queue code (DESIGN.md principle 4).',
      severity: 'error',
      from: { path: '/domain/' },
      to: { path: ['node_modules/(@nestjs|typeorm|bullmq|ioredis|pg|pg-[a-z-]+|nodemailer)/', '^apps/'] },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, within a library or between libraries.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libraries-through-their-index',
      comment: 'Another library uses a library only through its index.ts.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'apps-and-tests-through-library-index',
      comment: 'Apps, tests and benchmarks use a library only through its index.ts.',
      severity: 'error',
      from: { pathNot: '^libs/' },
      to: { path: '^libs/[^/]+/src/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'libraries-not-into-apps',
      comment: 'Libraries know nothing of the apps.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'production-code-not-into-testing',
      comment: 'Only tests and benchmarks use the testing library.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['\\.spec\\.ts$', '^libs/testing/'] },
      to: { path: '^libs/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
