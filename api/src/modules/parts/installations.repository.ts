import type { Sql } from "../../../../ledger-service/src/index.js";
import { BIDX, hexes } from "../users/users.repository.js";

export interface InstallationRow {
  id: string;
  company_id: string;
  gtin: string;
  serial: string;
  ledger_seq: number;
  vin_ct: Uint8Array;
  owner_name_ct: Uint8Array | null;
  owner_mobile_ct: Uint8Array | null;
  installed_at: Date;
}

const COLS =
  "id, company_id, gtin, serial, ledger_seq::int AS ledger_seq, vin_ct, owner_name_ct, owner_mobile_ct, installed_at";

/** A repair shop's installation records (the car and its owner), personal data encrypted. */
export const installationsRepository = {
  async insert(
    tx: Sql,
    r: {
      id: string;
      companyId: string;
      gtin: string;
      serial: string;
      ledgerSeq: number;
      vinCt: Buffer;
      vinBidx: Buffer;
      ownerNameCt: Buffer | null;
      ownerMobileCt: Buffer | null;
      ownerMobileBidx: Buffer | null;
    },
  ) {
    await tx.query(
      `INSERT INTO installations (id, company_id, gtin, serial, ledger_seq, vin_ct, vin_bidx, owner_name_ct, owner_mobile_ct, owner_mobile_bidx)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        r.id,
        r.companyId,
        r.gtin,
        r.serial,
        r.ledgerSeq,
        r.vinCt,
        r.vinBidx,
        r.ownerNameCt,
        r.ownerMobileCt,
        r.ownerMobileBidx,
      ],
    );
  },

  /** A company's installations, newest first; `vin`/`mobile`: blind indexes (one per key version) to match. */
  async list(
    db: Sql,
    companyId: string,
    filter: { vin?: Buffer[]; mobile?: Buffer[] },
    limit: number,
  ): Promise<InstallationRow[]> {
    const idx = filter.vin ?? filter.mobile;
    const col = filter.vin ? "vin_bidx" : "owner_mobile_bidx";
    const { rows } = await db.query<InstallationRow>(
      idx
        ? `SELECT ${COLS} FROM installations WHERE ${col} IN (${BIDX}) AND company_id = $2 ORDER BY installed_at DESC, id LIMIT $3`
        : `SELECT ${COLS} FROM installations WHERE company_id = $2 AND $1::text[] IS NULL ORDER BY installed_at DESC, id LIMIT $3`,
      [idx ? hexes(idx) : null, companyId, limit],
    );
    return rows;
  },

  async byId(db: Sql, id: string): Promise<InstallationRow | null> {
    return (await db.query<InstallationRow>(`SELECT ${COLS} FROM installations WHERE id = $1`, [id])).rows[0] ?? null;
  },
};
