/** Boundaries that `npm test` checks before any test runs (STYLE.md habits 1 and 3). */
/** Framework, database and queue packages, with their type declarations (a type-only import counts). */
const IO_PACKAGES = 'node_modules/(@types/)?(@nestjs|typeorm|bullmq|ioredis|pg|pg-[a-z-]+)/';

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
      name: 'domain-reaches-no-io',
      comment:
        'Nor through any chain of imports: a domain file that imports a helper that imports pg is as impure as one importing pg (tests of the domain excepted).',
      severity: 'error',
      from: { path: '/domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: IO_PACKAGES, reachable: true },
    },
    {
      name: 'event-store-core-reaches-no-io',
      comment: 'The event store core (deciders, events, command handling) knows no database: the PostgreSQL adapter implements its interface.',
      severity: 'error',
      from: { path: '^libs/event-store-core/', pathNot: '\\.spec\\.ts$' },
      to: { path: IO_PACKAGES, reachable: true },
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
      name: 'apps-tests-and-scripts-through-library-index',
      comment: 'Apps, tests, benchmarks and scripts use a library only through its index.ts.',
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
      name: 'nothing-into-scripts',
      comment: 'Scripts are tools run from the command line: no product code depends on them (tests may exercise them).',
      severity: 'error',
      from: { pathNot: '^(scripts|test)/' },
      to: { path: '^scripts/' },
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
