// Lets the compiled apps in dist/ resolve the @passerelle/* library names, as tsconfig.json does for the sources.
const path = require('node:path');
const tsConfigPaths = require('tsconfig-paths');

tsConfigPaths.register({
  baseUrl: path.join(__dirname, '..', 'dist'),
  paths: { '@passerelle/*': ['libs/*/src'] },
});
