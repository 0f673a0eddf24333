import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface HubProcess {
  pid: number;
  /** Resolves with the port from the "hub listening" log line. */
  listening: Promise<number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts the hub as `npm start` does (tsx src/main.ts), with only the given environment. */
export function runHub(env: Record<string, string>): HubProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onListening: (port: number) => void;
  let onFailed: (error: Error) => void;
  const listening = new Promise<number>((resolve, reject) => {
    onListening = resolve;
    onFailed = reject;
  });
  // Callers that only await `exited` must not see an unhandled rejection.
  listening.catch(() => undefined);
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const line of out.split('\n')) {
      if (!line.includes('"hub listening"')) continue;
      onListening(JSON.parse(line).port);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      onFailed(new Error(`hub exited (${code ?? signal}) before listening:\n${err}`));
      resolve({ code, signal });
    });
  });
  return {
    pid: child.pid ?? -1,
    listening,
    exited,
    stdout: () => out,
    stderr: () => err,
    kill: (signal = 'SIGTERM') => child.kill(signal),
  };
}
