import { Prisma } from '../generated/prisma/client.ts';

/** A duration as an SQL interval, to add to the database clock (never the process clock). */
export function interval(ms: number): Prisma.Sql {
  return Prisma.sql`(${Math.round(ms)}::double precision * interval '1 millisecond')`;
}

/** A JSON value as a jsonb parameter; null and undefined become SQL NULL. */
export function jsonb(value: unknown): Prisma.Sql {
  return value === null || value === undefined ? Prisma.sql`NULL` : Prisma.sql`${JSON.stringify(value)}::jsonb`;
}

/**
 * The start of the slot containing the database's now(): slots are `frequencyMinutes`
 * units long and epoch-aligned, so every instance computes the same slots.
 */
export function slotStart(frequencyMinutes: Prisma.Sql, unitMs: number): Prisma.Sql {
  const periodMs = Prisma.sql`(${unitMs}::double precision * ${frequencyMinutes})`;
  return Prisma.sql`to_timestamp(floor(extract(epoch FROM now()) * 1000 / ${periodMs}) * ${periodMs} / 1000)`;
}
