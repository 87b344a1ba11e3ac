import type { KeyVault, Sql } from "../../ledger-service/src/index.js";

/**
 * The demo seed's journal (table demo_seed_steps): a finished step's result, sealed with the ledger's key vault (it
 * holds API keys and generated passwords). A step with a row is not run again; the row "done" is written last.
 */
export class DemoJournal {
  constructor(
    private readonly db: Sql,
    private readonly vault: KeyVault,
  ) {}

  async get<T>(step: string): Promise<T | undefined> {
    const { rows } = await this.db.query<{ result_ct: Uint8Array }>(
      "SELECT result_ct FROM demo_seed_steps WHERE step = $1",
      [step],
    );
    return rows[0] ? (JSON.parse(this.vault.openText(rows[0].result_ct, `demo_seed:${step}`)) as T) : undefined;
  }

  /** The step's recorded result, or runs it and records what it returns. */
  async step<T>(step: string, run: () => Promise<T>): Promise<T> {
    const done = await this.get<T>(step);
    if (done !== undefined) return done;
    const result = await run();
    await this.db.query("INSERT INTO demo_seed_steps (step, result_ct) VALUES ($1, $2) ON CONFLICT (step) DO NOTHING", [
      step,
      this.vault.seal(JSON.stringify(result ?? null), `demo_seed:${step}`),
    ]);
    return result;
  }

  async count(): Promise<number> {
    return (await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_seed_steps")).rows[0]!.n;
  }
}
