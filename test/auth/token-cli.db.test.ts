import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticate.ts';
import { acquireDataDirLock } from '../../src/db/data-dir-lock.ts';
import { openDatabase, type DatabaseTarget } from '../../src/db/database.ts';
import { createEmptyTestDatabase, testServerUrl } from '../helpers/database.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliTimeout = 90_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run token -- <args>` with only the given environment (plus PATH and HOME). */
function runTokenCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'token', '--', ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function parseCreated(stdout: string) {
  const token = /^ {2}(hub_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1];
  const id = /\(id ([0-9a-f-]{36})\)/.exec(stdout)?.[1];
  if (!token || !id) throw new Error(`no token in the output:\n${stdout}`);
  return { token, id };
}

/** Authenticates with the given header on the CLI's database, open only for the call. */
async function authenticateOn(target: DatabaseTarget, authorization: string) {
  const database = await openDatabase(target);
  try {
    return await createAuthenticator({ prisma: database.prisma })(authorization);
  } finally {
    await database.close();
  }
}

async function createUseRevoke(target: DatabaseTarget, env: Record<string, string>) {
  const created = await runTokenCli(['create', '--user', 'x@example.com', '--name', 'cli test'], env);
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const { token, id } = parseCreated(created.stdout);
  expect(created.stdout).toContain(`Authorization: Bearer ${token}`);
  expect(created.stdout).toContain(JSON.stringify({ Authorization: `Bearer ${token}` }));

  expect(await authenticateOn(target, `Bearer ${token}`)).toMatchObject({ via: 'api_token', tokenId: id });

  const listed = await runTokenCli(['list', '--user', 'X@example.com'], env);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(id);
  expect(listed.stdout).toContain(token.slice(0, 12));
  expect(listed.stdout).not.toContain(token);

  const revoked = await runTokenCli(['revoke', id], env);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout).toContain(`Revoked API token ${id}`);

  await expect(authenticateOn(target, `Bearer ${token}`)).rejects.toMatchObject({
    code: 'UNAUTHENTICATED',
    message: expect.stringMatching(/revoked/),
  });
}

describe('npm run token on an embedded database (DATA_DIR)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hub-token-cli-'));
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'creates a token on a fresh DATA_DIR that authenticates, then revokes it',
    () => createUseRevoke({ kind: 'embedded', dataDir }, { DATA_DIR: dataDir }),
    cliTimeout,
  );

  it(
    'says the database is in use when another process holds it',
    async () => {
      const lock = await acquireDataDirLock(dataDir);
      try {
        const result = await runTokenCli(['list', '--user', 'x@example.com'], { DATA_DIR: dataDir });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`is in use by process ${process.pid}`);
      } finally {
        await lock.release();
      }
    },
    cliTimeout,
  );

  it(
    'prints the usage and exits 2 on bad arguments, before opening the database',
    async () => {
      const lock = await acquireDataDirLock(dataDir);
      try {
        const cases = [
          [],
          ['rotate'],
          ['create'],
          ['create', '--user', 'not-an-email'],
          ['create', '--user', 'x@example.com', '--expires-in-days', '0'],
          ['list', '--user', 'x@example.com', '--name', 'x'],
          ['revoke'],
          ['revoke', 'not-a-uuid'],
          ['create', '--user', 'x@example.com', '--unknown'],
        ];
        const results = await Promise.all(cases.map((args) => runTokenCli(args, { DATA_DIR: dataDir })));
        results.forEach((result, i) => {
          const args = cases[i]!.join(' ');
          expect(result.code, args).toBe(2);
          expect(result.stderr, args).toContain('Usage: npm run token -- <command>');
        });
      } finally {
        await lock.release();
      }
    },
    cliTimeout * 2,
  );

  it(
    'exits 1 with a clear message for an unknown token id',
    async () => {
      const result = await runTokenCli(['revoke', '00000000-0000-4000-8000-000000000000'], { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No API token has the id "00000000-0000-4000-8000-000000000000"');
    },
    cliTimeout,
  );
});

describe.runIf(testServerUrl)('npm run token on a PostgreSQL server (DATABASE_URL)', () => {
  let server: Awaited<ReturnType<typeof createEmptyTestDatabase>>;

  beforeAll(async () => {
    // Empty on purpose: the CLI is the one to migrate it.
    server = await createEmptyTestDatabase();
  });

  afterAll(async () => {
    await server?.drop();
  });

  it(
    'migrates a fresh database, creates a token that authenticates, then revokes it',
    () => {
      const target = server.target as Extract<DatabaseTarget, { kind: 'server' }>;
      return createUseRevoke(target, { DATABASE_URL: target.url });
    },
    cliTimeout,
  );
});
