import type { PrismaClient } from "../../../../generated/prisma/client.js";

export interface CompanyRow {
  id: string;
  name: string;
  uscc: string;
  kind: "manufacturer" | "distributor" | "repair_shop";
  regionCode: string;
  lng: number;
  lat: number;
  apiKeyPrefix: string;
  createdAt: Date;
}

const select = { id: true, name: true, uscc: true, kind: true, regionCode: true, lng: true, lat: true, apiKeyPrefix: true, createdAt: true } as const;

/** The only place that reads and writes the companies table. */
export class OrgsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(row: Omit<CompanyRow, "createdAt"> & { apiKeyHash: Uint8Array<ArrayBuffer> }): Promise<CompanyRow> {
    return (await this.prisma.company.create({ data: row, select })) as CompanyRow;
  }

  async delete(id: string): Promise<void> {
    await this.prisma.company.delete({ where: { id } });
  }

  async byUscc(uscc: string): Promise<CompanyRow | null> {
    return (await this.prisma.company.findUnique({ where: { uscc }, select })) as CompanyRow | null;
  }

  async byKeyHash(hash: Uint8Array<ArrayBuffer>): Promise<CompanyRow | null> {
    return (await this.prisma.company.findUnique({ where: { apiKeyHash: hash }, select })) as CompanyRow | null;
  }

  async byId(id: string): Promise<CompanyRow | null> {
    return (await this.prisma.company.findUnique({ where: { id }, select })) as CompanyRow | null;
  }
}
