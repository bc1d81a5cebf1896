/** Unit (*.unit.spec.ts), integration (*.int.spec.ts) and end-to-end (*.e2e.spec.ts) tests in one run. */
const swc = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
};

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
  },
  moduleNameMapper: { '^@passerelle/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testTimeout: 120000,
  maxWorkers: 2,
};
