import type { Sql } from "../../../../ledger-service/src/index.js";
import type { Company } from "../orgs/orgs.service.js";
import { creditScore } from "./credit.js";
import { invoicesRepository } from "./invoices.repository.js";

/** The evidence a credit profile reads, each from the module that owns it. */
export interface CreditDeps {
  deliveredAsSeller(companyId: string, days: number): Promise<{ orders: number; valueFen: number }>;
  receivedParts(company: Company, days: number): Promise<number>;
  confirmedCounterfeits(): Promise<Array<{ gtin: string; serial: string }>>;
  handledBy(company: Company, parts: ReadonlyArray<{ gtin: string; serial: string }>): Promise<number>;
}

/** A company's credit profile from verified trade history (DECISIONS 78): who reads it is decided by the caller. */
export class CreditService {
  constructor(
    private readonly db: Sql,
    private readonly deps: CreditDeps,
  ) {}

  async of(company: Company) {
    const [delivered, receivedParts, counterfeits, paid] = await Promise.all([
      this.deps.deliveredAsSeller(company.id, 365),
      this.deps.receivedParts(company, 365),
      this.deps.confirmedCounterfeits(),
      invoicesRepository.punctuality(this.db, company.id),
    ]);
    const tenureDays = Math.max(0, Math.floor((Date.now() - new Date(company.createdAt).getTime()) / 86_400_000));
    return creditScore({
      deliveredOrders: delivered.orders,
      deliveredValueFen: delivered.valueFen,
      receivedParts,
      dueFen: paid.dueFen,
      paidOnTimeFen: paid.paidOnTimeFen,
      counterfeitConfirmed: await this.deps.handledBy(company, counterfeits),
      tenureDays,
    });
  }
}
