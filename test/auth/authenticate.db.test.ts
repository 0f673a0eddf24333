import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/api-tokens.ts';
import { createAuthenticator, type Authenticate } from '../../src/auth/authenticate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
let apiTokensOnly: Authenticate;
let apiToken: { token: string; id: string; userId: string };

beforeAll(async () => {
  db = await createTestDatabase();
  apiTokensOnly = createAuthenticator({ prisma: db.database.prisma, jwtSecret: undefined, jwksUrl: undefined });
  apiToken = await createApiToken(db.database.prisma, { email: 'header@example.com', name: 'headers' });
});

afterAll(async () => {
  await db?.drop();
});

async function expectUnauthenticated(authorization: string | undefined | null, message: RegExp) {
  await expect(apiTokensOnly(authorization)).rejects.toMatchObject({
    name: 'AppError',
    code: 'UNAUTHENTICATED',
    message: expect.stringMatching(message),
  });
}

describe('the Authorization header', () => {
  it.each([undefined, null, '', '   '])('refuses a missing header (%j)', async (header) => {
    await expectUnauthenticated(header, /^Missing Authorization: Bearer <token> header$/);
  });

  it.each(['Basic x', 'Basic dXNlcjpwYXNz', 'Token abc', `hub_${'A'.repeat(43)}`])(
    'refuses another scheme (%s)',
    async (header) => {
      await expectUnauthenticated(header, /must use the Bearer scheme/);
    },
  );

  it.each(['Bearer', 'bearer   ', 'Bearer a b'])('refuses a malformed Bearer value (%j)', async (header) => {
    await expectUnauthenticated(header, /exactly "Bearer <token>"/);
  });

  it('accepts the scheme in any case and surrounding spaces', async () => {
    for (const header of [`Bearer ${apiToken.token}`, `bearer ${apiToken.token}`, `  BEARER   ${apiToken.token} `]) {
      expect(await apiTokensOnly(header)).toEqual({ userId: apiToken.userId, via: 'api_token', tokenId: apiToken.id });
    }
  });

  it('never repeats the token in an error message', async () => {
    const token = `hub_${randomBytes(32).toString('base64url')}`;
    const error = await apiTokensOnly(`Bearer ${token} extra`).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain(token);
  });
});

describe('without JWT_SECRET or JWKS_URL', () => {
  it('refuses a bearer token that is not an API token, even a well-signed JWT', async () => {
    const jwt = await new SignJWT({ sub: randomUUID(), exp: Math.floor(Date.now() / 1000) + 300 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(randomBytes(32));
    await expectUnauthenticated(`Bearer ${jwt}`, /accepts API tokens \(hub_…\) only/);
    await expectUnauthenticated('Bearer something-else', /accepts API tokens \(hub_…\) only/);
  });
});
