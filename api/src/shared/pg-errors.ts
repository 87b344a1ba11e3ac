/** The fields of a PostgreSQL error as pg and PGlite report them. */
interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

/** PostgreSQL's SQLSTATE of an error (undefined for anything else). */
export const pgCode = (e: unknown): string | undefined => (e as PgError | null)?.code;

/**
 * A unique violation (23505) on the named constraint or unique index: another writer committed the same key first.
 * PGlite names the constraint only in the message, so both are looked at.
 */
export function uniqueViolation(e: unknown, name: string): boolean {
  const err = e as PgError | null;
  return err?.code === "23505" && `${err.constraint ?? ""} ${err.message ?? ""}`.includes(name);
}
