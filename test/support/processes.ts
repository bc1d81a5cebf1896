import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { TEST_REDIS_URL } from '@passerelle/testing';

const ROOT = path.join(__dirname, '..', '..');

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * One of the apps as its own process, from the sources, as `npm run start:*` would run it.
 * APP_NODE_ARGS adds flags to node for these processes (for example `--cpu-prof --cpu-prof-dir=/tmp/prof`, to profile them).
 */
export function runApp(app: 'api' | 'worker', env: Record<string, string>): AppProcess {
  return runEntry(`apps/${app}/src/main.ts`, env);
}

/** The worker as its own process, as runApp starts it, going by the time written in `clockFile` (test/support/file-clock.ts). */
export function runWorkerWithFileClock(clockFile: string, env: Record<string, string>): AppProcess {
  return runEntry('test/support/worker-with-file-clock.ts', { ...env, TEST_CLOCK_FILE: clockFile });
}

function runEntry(entry: string, env: Record<string, string>): AppProcess {
  let output = '';
  const extra = (process.env.APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '-r', '@swc-node/register', entry], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', REDIS_URL: TEST_REDIS_URL, ...env },
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}
