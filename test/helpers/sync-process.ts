import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface LogLine {
  msg: string;
  time: string;
  [key: string]: unknown;
}

export interface SyncProcess {
  pid: number;
  lines(): LogLine[];
  waitForLine(accept: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts a Node process running `script` (relative to the repository) through tsx, with the given environment. */
export function startProcess(script: string, env: Record<string, string>): SyncProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const text of complete) {
      if (!text.trim()) continue;
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ msg: text, time: new Date().toISOString() });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );
  return {
    pid: child.pid ?? -1,
    lines: () => lines,
    waitForLine: (accept, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(accept);
          if (found) return done(() => resolve(found));
          if (child.exitCode !== null || child.signalCode !== null) {
            done(() => reject(new Error(`process exited before the expected line:\n${err}`)));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for a log line:\n${err}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      }),
    kill: (signal) => child.kill(signal),
    exited,
    stderr: () => err,
  };
}

export function startSyncProcess(env: Record<string, string>): SyncProcess {
  return startProcess('test/helpers/sync-worker-main.ts', { ...env });
}
