import type { PrismaClient } from "../../../../generated/prisma/client.js";
import type { Sql } from "../../../../ledger-service/src/index.js";

export interface CompanyRow {
  id: string;
  name: string;
  uscc: string;
  kind: "manufacturer" | "distributor" | "repair_shop" | "lender" | "service_provider";
  regionCode: string;
  lng: number;
  lat: number;
  /** pending: self-registered, waiting for the platform's two approvals (DECISIONS 98); it may not trade. */
  onboarding: "pending" | "approved";
  createdAt: Date;
}

const select = {
  id: true,
  name: true,
  uscc: true,
  kind: true,
  regionCode: true,
  lng: true,
  lat: true,
  onboarding: true,
  createdAt: true,
} as const;

/** The only place that reads and writes the companies table. Writes join the caller's transaction. */
export class OrgsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(tx: Sql, row: Omit<CompanyRow, "createdAt">): Promise<void> {
    await tx.query(
      `INSERT INTO companies (id, name, uscc, kind, region_code, lng, lat, onboarding)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [row.id, row.name, row.uscc, row.kind, row.regionCode, row.lng, row.lat, row.onboarding],
    );
  }

  /** A pending company's registered fields, as its resubmitted application corrects them; false if not pending. */
  async updatePending(
    tx: Sql,
    id: string,
    f: { name: string; uscc: string; regionCode: string; lng: number; lat: number },
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `UPDATE companies SET name = $2, uscc = $3, region_code = $4, lng = $5, lat = $6
        WHERE id = $1 AND onboarding = 'pending' RETURNING 1`,
      [id, f.name, f.uscc, f.regionCode, f.lng, f.lat],
    );
    return rows.length === 1;
  }

  /** A pending company becomes approved (it may trade from now on); false if it was not pending. */
  async approve(tx: Sql, id: string): Promise<boolean> {
    const { rows } = await tx.query(
      "UPDATE companies SET onboarding = 'approved' WHERE id = $1 AND onboarding = 'pending' RETURNING 1",
      [id],
    );
    return rows.length === 1;
  }

  async byUscc(uscc: string): Promise<CompanyRow | null> {
    return (await this.prisma.company.findUnique({ where: { uscc }, select })) as CompanyRow | null;
  }

  async usccByIds(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.company.findMany({ where: { id: { in: ids } }, select: { id: true, uscc: true } });
    return new Map(rows.map((r) => [r.id, r.uscc]));
  }

  /** Distributors and repair shops other than `except`, by name (the receivers a carton can be sent to). */
  async receivers(
    except: string,
    limit: number,
  ): Promise<Array<{ id: string; name: string; kind: string; regionCode: string }>> {
    return this.prisma.company.findMany({
      where: { id: { not: except }, kind: { in: ["distributor", "repair_shop"] }, onboarding: "approved" },
      select: { id: true, name: true, kind: true, regionCode: true },
      orderBy: { name: "asc" },
      take: limit,
    });
  }

  /** One page of companies (newest first), filtered by kind and a part of the name; with the total and user counts. */
  async list(q: {
    kind?: CompanyRow["kind"] | undefined;
    name?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<{ rows: (CompanyRow & { users: number })[]; total: number }> {
    const where = {
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.name ? { name: { contains: q.name, mode: "insensitive" as const } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.company.findMany({
        where,
        select,
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        take: q.limit,
        skip: q.offset,
      }),
      this.prisma.company.count({ where }),
    ]);
    const counts = rows.length
      ? await this.prisma.user.groupBy({
          by: ["companyId"],
          where: { companyId: { in: rows.map((r) => r.id) }, status: "active" },
          _count: { _all: true },
        })
      : [];
    const users = new Map(counts.map((c) => [c.companyId, c._count._all]));
    return { rows: (rows as CompanyRow[]).map((r) => ({ ...r, users: users.get(r.id) ?? 0 })), total };
  }

  async byId(id: string): Promise<CompanyRow | null> {
    return (await this.prisma.company.findUnique({ where: { id }, select })) as CompanyRow | null;
  }
}
