-- Failed logins and locks per login identifier (the blind index of the normalised mobile or e-mail), whether or
-- not an account has that login: unknown identifiers slow down and lock exactly like existing ones, so neither
-- timing nor locking tells which accounts exist. users.failed_logins / locked_until are no longer used.
CREATE TABLE login_attempts (
  login_key BYTEA PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
