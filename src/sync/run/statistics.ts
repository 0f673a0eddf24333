import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../logger.ts';

/**
 * Keeps the planner's statistics up with a first import. A new integration's pull
 * can grow products and mappings from nothing to 100,000 rows in a minute, well
 * before autovacuum's next analyze; until then the planner takes each user's rows
 * for a few hundred and picks the (user_id, created_at) indexes over the unique
 * ones, so every page's lookups slow down as the table grows. Once the rows this
 * job inserted outnumber what the statistics last counted (and at least
 * `minimumGrowth`), the two tables are analyzed — a sampled, non-blocking read —
 * through the system client, which owns them.
 */
export class StatisticsKeeper {
  private insertedSinceAnalyze = 0;
  private countedRows: number | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly minimumGrowth = 5_000,
  ) {}

  async afterInserts(rows: number): Promise<void> {
    this.insertedSinceAnalyze += rows;
    if (this.insertedSinceAnalyze < this.minimumGrowth) return;
    this.countedRows ??= await this.rowsCounted();
    if (this.insertedSinceAnalyze < this.countedRows) return;
    try {
      await this.prisma.$executeRawUnsafe('ANALYZE products, marketplace_product_mappings');
      this.countedRows = await this.rowsCounted();
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not refresh table statistics after a bulk import');
      this.countedRows = Number.POSITIVE_INFINITY;
    }
    this.insertedSinceAnalyze = 0;
  }

  private async rowsCounted(): Promise<number> {
    const [row] = await this.prisma.$queryRawUnsafe<{ rows: number }[]>(
      `SELECT GREATEST(reltuples, 0)::float8 AS rows FROM pg_class WHERE oid = 'marketplace_product_mappings'::regclass`,
    );
    return Number(row?.rows ?? 0);
  }
}
