import type { Sql } from "../../../../ledger-service/src/db/sql.js";
import { logger } from "../../../../ledger-service/src/index.js";
import { scansTotal } from "../../ops/metrics.js";
import { verifyRepository, type ScanRow } from "./verify.repository.js";

export interface Scan {
  partKey: string;
  at: Date;
  lng: number | null;
  lat: number | null;
  companyId: string | null;
  verdict: string;
}

/**
 * Every scan is recorded, in batches: scans are buffered for at most `flushMs` (or `maxBuffered` of them) and
 * written with one multi-row INSERT, asynchronously committed. The clone rules read the buffer as well as the
 * table, so a scan counts from the moment it happens. A crash loses at most the buffered fraction of a second
 * of the scan log — never a ledger event (DECISIONS.md).
 */
export class ScanLog {
  private buffer: Scan[] = [];
  private readonly writing: Scan[][] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Sql,
    private readonly flushMs = 100,
    private readonly maxBuffered = 500,
  ) {}

  record(scan: Scan): void {
    scansTotal.inc({ verdict: scan.verdict });
    this.buffer.push(scan);
    if (this.buffer.length >= this.maxBuffered) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** The part's recent scans, newest first: buffered ones, ones being written, and stored ones. */
  async recent(partKey: string): Promise<ScanRow[]> {
    const pending = [...this.writing.flat(), ...this.buffer]
      .filter((s) => s.partKey === partKey)
      .map((s) => ({ scannedAt: s.at, lng: s.lng, lat: s.lat, companyId: s.companyId }));
    return [...pending.reverse(), ...(await verifyRepository.recent(this.db, partKey))];
  }

  /** Writes what is buffered (also called on shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    // Until its INSERT is done, a batch is neither buffered nor stored: `recent` reads it from here meanwhile.
    if (batch.length > 0) this.writing.push(batch);
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await verifyRepository.recordMany(this.db, batch);
      } catch (e) {
        logger("scans").error({ err: e, scans: batch.length }, `scan log: ${batch.length} scans not recorded`);
      } finally {
        this.writing.splice(this.writing.indexOf(batch), 1);
      }
    });
    await this.flushing;
  }
}
