// `npm run token -- <command>`: creates, lists and revokes API tokens in the configured
// database (DATABASE_URL, or the embedded one under DATA_DIR, migrated first).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  createApiToken,
  listApiTokens,
  parseEmail,
  revokeApiToken,
  type ApiTokenSummary,
} from '../src/auth/api-tokens.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { DataDirLockedError } from '../src/db/data-dir-lock.ts';
import type { Database } from '../src/db/database.ts';
import { MigrationError } from '../src/db/migrate.ts';
import { databaseTarget, DatabaseRoleError, openMigratedDatabase } from '../src/db/setup.ts';
import { AppError } from '../src/errors.ts';
import { createLogger } from '../src/logger.ts';

const usage = `Usage: npm run token -- <command>

  create --user <email> [--name <label>] [--expires-in-days <N>]
      Creates an API token (and the user, if new) and prints it once.
  list --user <email>
      Lists the user's tokens: id, name, prefix, dates. Never the token itself.
  revoke <token-id>
      Revokes a token; requests using it are refused from then on.

The database is DATABASE_URL, or the embedded one under DATA_DIR (default ./data).`;

class UsageError extends Error {}

type Command =
  | { name: 'create'; email: string; label: string; expiresInDays: number | undefined }
  | { name: 'list'; email: string }
  | { name: 'revoke'; tokenId: string };

function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        user: { type: 'string' },
        name: { type: 'string' },
        'expires-in-days': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const allowed: Record<string, string[]> = { create: ['user', 'name', 'expires-in-days'], list: ['user'], revoke: [] };
  if (!command || !(command in allowed)) throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
  const extraOption = Object.keys(values).find((option) => !allowed[command]!.includes(option));
  if (extraOption) throw new UsageError(`"${command}" takes no --${extraOption} option`);

  if (command === 'revoke') {
    if (rest.length !== 1) throw new UsageError('"revoke" takes exactly one token id');
    if (!z.uuid().safeParse(rest[0]).success) throw new UsageError(`"${rest[0]}" is not a token id (a UUID, as listed)`);
    return { name: 'revoke', tokenId: rest[0]! };
  }
  if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}"`);
  if (!values.user) throw new UsageError(`"${command}" needs --user <email>`);
  const email = parseEmail(values.user);
  if (!email) throw new UsageError(`"${values.user}" is not an e-mail address`);
  if (command === 'list') return { name: 'list', email };
  return {
    name: 'create',
    email,
    label: values.name ?? `cli ${new Date().toISOString().slice(0, 10)}`,
    expiresInDays: parseDays(values['expires-in-days']),
  };
}

function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > 36_500) {
    throw new UsageError('--expires-in-days expects a whole number of days, at least 1');
  }
  return days;
}

async function run(command: Command, database: Database): Promise<void> {
  const { prisma } = database;
  switch (command.name) {
    case 'create': {
      const expiresAt = command.expiresInDays
        ? new Date(Date.now() + command.expiresInDays * 24 * 60 * 60 * 1000)
        : undefined;
      const created = await createApiToken(prisma, { email: command.email, name: command.label, expiresAt });
      console.log(
        [
          `Created API token "${command.label.trim()}" for ${command.email} (id ${created.id}).`,
          `Expires: ${expiresAt ? formatDate(expiresAt) : 'never'}`,
          '',
          'Copy it now; it is not stored and cannot be shown again:',
          '',
          `  ${created.token}`,
          '',
          'Send it with every request:',
          '',
          `  Authorization: Bearer ${created.token}`,
          '',
          'In GraphiQL, paste into the Headers tab:',
          '',
          `  ${JSON.stringify({ Authorization: `Bearer ${created.token}` })}`,
        ].join('\n'),
      );
      return;
    }
    case 'list': {
      const tokens = await listApiTokens(prisma, command.email);
      console.log(tokens.length ? formatTable(tokens) : `No API tokens for ${command.email}.`);
      return;
    }
    case 'revoke': {
      const token = await revokeApiToken(prisma, command.tokenId);
      console.log(
        token.alreadyRevoked
          ? `API token ${token.id} ("${token.name}", ${token.prefix}…) was already revoked on ${formatDate(token.revokedAt)}.`
          : `Revoked API token ${token.id} ("${token.name}", ${token.prefix}…).`,
      );
      return;
    }
  }
}

function formatTable(tokens: ApiTokenSummary[]): string {
  const header = ['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'EXPIRES', 'REVOKED'];
  const rows = tokens.map((t) => [
    t.id,
    t.name,
    `${t.prefix}…`,
    formatDate(t.createdAt),
    formatDate(t.lastUsedAt, 'never'),
    formatDate(t.expiresAt, 'never'),
    formatDate(t.revokedAt, '-'),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function formatDate(date: Date | null, ifNone = '-'): string {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ifNone;
}

let command: Command;
try {
  command = parseCommand(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n\n${usage}`);
  process.exit(2);
}

try {
  const config = loadConfig();
  // Info lines (migrations applied, database ready) would drown the output; problems go to stderr.
  const { database } = await openMigratedDatabase(databaseTarget(config), createLogger('warn', process.stderr));
  try {
    await run(command, database);
  } finally {
    await database.close();
  }
} catch (error) {
  const known = [AppError, ConfigError, DataDirLockedError, DatabaseRoleError, MigrationError];
  if (!known.some((type) => error instanceof type)) throw error;
  console.error((error as Error).message);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
