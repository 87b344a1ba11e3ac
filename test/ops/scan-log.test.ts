import { expect } from "chai";
import { ScanLog } from "../../api/src/modules/verify/scan-log.js";
import type { Sql } from "../../ledger-service/src/index.js";
import { freshDatabase } from "../helpers/database.js";

describe("the scan log on a slow database", () => {
  it("shows a scan while its batch is being written (a slow INSERT on a loaded machine)", async () => {
    const db = await freshDatabase();
    try {
      // The real database, its INSERTs taking 500 ms (what a loaded machine did to the clone check).
      const slow: Sql = {
        ...db.sql,
        query: async <T>(text: string, params?: unknown[]) => {
          if (text.includes("INSERT INTO scans")) await new Promise((r) => setTimeout(r, 500));
          return db.sql.query<T>(text, params);
        },
      };
      const log = new ScanLog(slow, 10);
      const partKey = `0x${"ab".repeat(32)}`;
      log.record({ partKey, at: new Date(), lng: 120.18, lat: 30.27, companyId: null, verdict: "GENUINE" });
      await new Promise((r) => setTimeout(r, 100)); // flushed after 10 ms: the INSERT is under way
      expect((await log.recent(partKey)).map((s) => s.lng)).to.deep.equal([120.18]);
      await log.flush();
      expect((await log.recent(partKey)).map((s) => s.lng)).to.deep.equal([120.18]); // stored, and only once
    } finally {
      await db.drop();
    }
  });
});
