import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forUser } from '../../src/db/tenant.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { parseKeyRing, type KeyRing } from '../../src/secrets/key-ring.ts';
import { countSealedByKeyId, resealAll, resealRow, sealedColumns } from '../../src/secrets/reseal.ts';
import { openJson, sealJson, type SealPurpose } from '../../src/secrets/sealing.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const ringA = parseKeyRing(`kA:${keyA}`);
/** After rotation: B active, A kept to open what it sealed. */
const ringBA = parseKeyRing(`kB:${keyB},kA:${keyA}`);
const ringB = parseKeyRing(`kB:${keyB}`);

let db: TestDatabase;
let prisma: PrismaClient;

/** Every sealed value seeded, with what it must open to. */
let expected: { column: (typeof sealedColumns)[number]; id: string; userId: string; value: unknown }[];

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.database.prisma;
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  await prisma.user.deleteMany();
  expected = [];
  for (const email of ['alice@example.com', 'bob@example.com']) {
    const userId = (await prisma.user.create({ data: { email } })).id;
    for (const platform of ['shopify', 'etsy', 'ebay'] as const) {
      const integrationId = randomUUID();
      const credentials = { access_token: `tok-${platform}-${randomUUID()}` };
      const sealedCredentials = seal(ringA, credentials, userId, integrationId, 'integration_credentials');
      await prisma.marketplaceIntegration.create({
        data: {
          id: integrationId,
          userId,
          platform,
          displayName: platform,
          accountKey: `${platform}-${email}`,
          credentialsSealed: sealedCredentials.sealed,
          credentialsKeyId: sealedCredentials.keyId,
        },
      });
      expected.push({ column: column('integrationCredentials'), id: integrationId, userId, value: credentials });

      const webhookId = randomUUID();
      const secret = `whsec-${randomUUID()}`;
      const previous = platform === 'shopify' ? `whsec-old-${randomUUID()}` : undefined;
      const sealedSecret = seal(ringA, secret, userId, webhookId, 'webhook_secret');
      const sealedPrevious = previous === undefined ? undefined : seal(ringA, previous, userId, webhookId, 'webhook_previous_secret');
      await prisma.marketplaceWebhook.create({
        data: {
          id: webhookId,
          userId,
          integrationId,
          topics: ['orders/create'],
          endpointUrl: `https://hub.example.com/webhooks/${webhookId}`,
          secretSealed: sealedSecret.sealed,
          secretKeyId: sealedSecret.keyId,
          previousSecretSealed: sealedPrevious?.sealed ?? null,
          previousSecretKeyId: sealedPrevious?.keyId ?? null,
        },
      });
      expected.push({ column: column('webhookSecret'), id: webhookId, userId, value: secret });
      if (previous !== undefined) expected.push({ column: column('webhookPreviousSecret'), id: webhookId, userId, value: previous });
    }
    const stateId = randomUUID();
    const verifier = randomBytes(32).toString('base64url');
    const sealedVerifier = seal(ringA, verifier, userId, stateId, 'oauth_verifier');
    await prisma.oAuthConnectState.create({
      data: {
        id: stateId,
        userId,
        platform: 'etsy',
        state: randomUUID(),
        verifierSealed: sealedVerifier.sealed,
        verifierKeyId: sealedVerifier.keyId,
        redirectUri: 'https://app.example.com/oauth/callback',
        expiresAt: new Date(Date.now() + 600_000),
      },
    });
    expected.push({ column: column('oauthVerifier'), id: stateId, userId, value: verifier });
  }
  // A row without any sealed value is left alone.
  const userId = (await prisma.user.findFirstOrThrow()).id;
  await prisma.marketplaceIntegration.create({
    data: { userId, platform: 'amazon', displayName: 'no credentials', accountKey: 'none' },
  });
});

describe('resealAll', () => {
  it('re-seals every value under the new active key, across tenants, in batches', async () => {
    const report = await resealAll(prisma, ringBA, { batchSize: 2 });
    expect(report).toEqual({
      resealed: { integrationCredentials: 6, webhookSecret: 6, webhookPreviousSecret: 2, oauthVerifier: 2 },
      changedConcurrently: 0,
      failed: [],
    });
    expect(await countSealedByKeyId(prisma)).toEqual([
      { column: 'integrationCredentials', keyId: 'kB', count: 6 },
      { column: 'webhookSecret', keyId: 'kB', count: 6 },
      { column: 'webhookPreviousSecret', keyId: 'kB', count: 2 },
      { column: 'oauthVerifier', keyId: 'kB', count: 2 },
    ]);

    // Key A can now be retired: a ring without it opens everything, with the right context only.
    for (const item of expected) {
      const row = await readSealed(item.column, item.id);
      expect(row.keyId).toBe('kB');
      const context = { userId: item.userId, recordId: item.id, purpose: item.column.purpose };
      expect(openJson(ringB, row.sealed, row.keyId, context)).toEqual(item.value);
      expect(() => openJson(ringB, row.sealed, row.keyId, { ...context, recordId: randomUUID() })).toThrow(/cannot be opened/);
    }

    expect(await prisma.marketplaceIntegration.findFirstOrThrow({ where: { accountKey: 'none' } })).toMatchObject({
      credentialsSealed: null,
      credentialsKeyId: null,
    });
  });

  it('does nothing the second time', async () => {
    await resealAll(prisma, ringBA, { batchSize: 3 });
    const again = await resealAll(prisma, ringBA, { batchSize: 3 });
    expect(again.resealed).toEqual({ integrationCredentials: 0, webhookSecret: 0, webhookPreviousSecret: 0, oauthVerifier: 0 });
    expect(await resealAll(prisma, ringA)).toMatchObject({ failed: expect.arrayContaining([expect.objectContaining({ keyId: 'kB', reason: 'unknown_key' })]) });
  });

  it('resumes where an interrupted run stopped', async () => {
    const [first, second] = expected.filter((item) => item.column.name === 'integrationCredentials');
    for (const item of [first!, second!]) {
      expect(await resealRow(prisma, ringBA, item.column, { ...(await readSealed(item.column, item.id)), userId: item.userId })).toBe(true);
    }
    const report = await resealAll(prisma, ringBA, { batchSize: 100 });
    expect(report.resealed.integrationCredentials).toBe(4);
  });

  it('keeps updated_at: the value has not changed', async () => {
    const before = await prisma.marketplaceIntegration.findMany({ orderBy: { id: 'asc' }, select: { id: true, updatedAt: true } });
    await resealAll(prisma, ringBA);
    const after = await prisma.marketplaceIntegration.findMany({ orderBy: { id: 'asc' }, select: { id: true, updatedAt: true } });
    expect(after).toEqual(before);
  });

  it('never overwrites a value a concurrent writer replaced', async () => {
    const item = expected.find((i) => i.column.name === 'webhookSecret')!;
    const staleRead = { ...(await readSealed(item.column, item.id)), userId: item.userId };

    // A writer still running with the old ring replaces the secret, under key A again.
    const replacement = seal(ringA, 'whsec-rotated-by-writer', item.userId, item.id, 'webhook_secret');
    await prisma.marketplaceWebhook.update({
      where: { id: item.id },
      data: { secretSealed: replacement.sealed, secretKeyId: replacement.keyId },
    });

    expect(await resealRow(prisma, ringBA, item.column, staleRead)).toBe(false);
    const row = await readSealed(item.column, item.id);
    expect(openJson(ringBA, row.sealed, row.keyId, { userId: item.userId, recordId: item.id, purpose: 'webhook_secret' })).toBe(
      'whsec-rotated-by-writer',
    );

    // The next run picks it up.
    await resealAll(prisma, ringBA);
    expect((await readSealed(item.column, item.id)).keyId).toBe('kB');
  });

  it('reports values it cannot open and re-seals the rest', async () => {
    const item = expected.find((i) => i.column.name === 'oauthVerifier')!;
    await prisma.oAuthConnectState.update({ where: { id: item.id }, data: { verifierKeyId: 'kLost' } });
    const copied = expected.find((i) => i.column.name === 'integrationCredentials' && i.userId !== item.userId)!;
    const victim = expected.find((i) => i.column.name === 'integrationCredentials' && i.userId === item.userId)!;
    // Another user's blob copied onto this row: authentic, but bound to someone else.
    const foreign = await readSealed(copied.column, copied.id);
    await prisma.marketplaceIntegration.update({ where: { id: victim.id }, data: { credentialsSealed: foreign.sealed } });

    const report = await resealAll(prisma, ringBA);
    expect(report.failed).toEqual(
      expect.arrayContaining([
        { column: 'oauthVerifier', id: item.id, keyId: 'kLost', reason: 'unknown_key' },
        { column: 'integrationCredentials', id: victim.id, keyId: 'kA', reason: 'cannot_open' },
      ]),
    );
    expect(report.failed).toHaveLength(2);
    expect(report.resealed).toEqual({ integrationCredentials: 5, webhookSecret: 6, webhookPreviousSecret: 2, oauthVerifier: 1 });
    expect((await readSealed(item.column, item.id)).keyId).toBe('kLost');
  });

  it('leaves what tenants read through Row Level Security openable', async () => {
    await resealAll(prisma, ringBA);
    const item = expected.find((i) => i.column.name === 'integrationCredentials')!;
    const row = await forUser(prisma, item.userId).marketplaceIntegration.findUniqueOrThrow({ where: { id: item.id } });
    const context = { userId: item.userId, recordId: item.id, purpose: 'integration_credentials' } as const;
    expect(openJson(ringB, row.credentialsSealed!, row.credentialsKeyId!, context)).toEqual(item.value);
  });
});

describe('countSealedByKeyId', () => {
  it('counts sealed values per column and key id, ids only', async () => {
    const counts = await countSealedByKeyId(prisma);
    expect(counts).toEqual([
      { column: 'integrationCredentials', keyId: 'kA', count: 6 },
      { column: 'webhookSecret', keyId: 'kA', count: 6 },
      { column: 'webhookPreviousSecret', keyId: 'kA', count: 2 },
      { column: 'oauthVerifier', keyId: 'kA', count: 2 },
    ]);
  });
});

function seal(ring: KeyRing, value: unknown, userId: string, recordId: string, purpose: SealPurpose) {
  return sealJson(ring, value, { userId, recordId, purpose });
}

function column(name: (typeof sealedColumns)[number]['name']) {
  return sealedColumns.find((c) => c.name === name)!;
}

/** The sealed value and key id of one row, read as the system user. */
async function readSealed(sealedColumn: (typeof sealedColumns)[number], id: string) {
  switch (sealedColumn.name) {
    case 'integrationCredentials': {
      const row = await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id } });
      return { id, sealed: row.credentialsSealed!, keyId: row.credentialsKeyId! };
    }
    case 'webhookSecret': {
      const row = await prisma.marketplaceWebhook.findUniqueOrThrow({ where: { id } });
      return { id, sealed: row.secretSealed!, keyId: row.secretKeyId! };
    }
    case 'webhookPreviousSecret': {
      const row = await prisma.marketplaceWebhook.findUniqueOrThrow({ where: { id } });
      return { id, sealed: row.previousSecretSealed!, keyId: row.previousSecretKeyId! };
    }
    case 'oauthVerifier': {
      const row = await prisma.oAuthConnectState.findUniqueOrThrow({ where: { id } });
      return { id, sealed: row.verifierSealed!, keyId: row.verifierKeyId! };
    }
  }
}
