// `npm start`: prepares the database and the key database once (creating them if missing, applying
// each its own migrations), then runs the API and the worker as two processes. Stops both when either stops or on SIGINT/SIGTERM.
const { spawn } = require('node:child_process');
const path = require('node:path');
// From here on @passerelle/* names resolve to the compiled libraries in dist/ (type-checked against their sources).
require('./register-paths');
const { ConfigError, loadConfig, prepareDatabase } = require('@passerelle/platform');
const { prepareKeysDatabase } = require('@passerelle/privacy');

const root = path.join(__dirname, '..');
const apps = {
  api: path.join(root, 'dist/apps/api/src/main.js'),
  worker: path.join(root, 'dist/apps/worker/src/main.js'),
};

async function main() {
  const config = loadConfig();
  const applied = await prepareDatabase(config.DATABASE_URL);
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  const appliedToKeys = await prepareKeysDatabase(config.keysDatabaseUrl);
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
