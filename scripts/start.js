// `npm start`: prepares the key database and the database once (creating them if missing, applying
// each its own migrations), then runs the API and the worker as two processes. Stops both when either stops or on SIGINT/SIGTERM.
const { spawn } = require('node:child_process');
const path = require('node:path');
// From here on @passerelle/* names resolve to the compiled libraries in dist/ (type-checked against their sources).
require('./register-paths');
const { ConfigError, loadConfig } = require('@passerelle/platform');
const { prepareDatabases } = require('@passerelle/privacy');

const root = path.join(__dirname, '..');
const apps = {
  api: path.join(root, 'dist/apps/api/src/main.js'),
  worker: path.join(root, 'dist/apps/worker/src/main.js'),
};

async function main() {
  const config = loadConfig();
  // The key database first: a migration of the main one may give addresses written before issue 20 their data subject.
  const { main: applied, keys: appliedToKeys } = await prepareDatabases(config);
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  const keysDatabase = decodeURIComponent(new URL(config.keysDatabaseUrl).pathname.slice(1));
  console.log(appliedToKeys.length ? `Applied key database migrations (${keysDatabase}): ${appliedToKeys.join(', ')}` : `Key database schema is up to date (${keysDatabase})`);
  const children = Object.entries(apps).map(([name, entry]) => {
    const child = spawn(process.execPath, ['-r', path.join(__dirname, 'register-paths.js'), entry], { stdio: 'inherit', env: process.env });
    child.on('exit', (code, signal) => {
      console.log(`${name} stopped (${signal ?? `exit code ${code}`})`);
      for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
      process.exitCode = code ?? 1;
    });
    return child;
  });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.on(signal, () => children.forEach((child) => child.exitCode === null && child.kill(signal)));
  }
  console.log(`API on http://localhost:${config.PORT} (docs at /docs), worker running`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
