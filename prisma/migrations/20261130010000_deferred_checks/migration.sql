-- A deferred write's check (ledger-service/src/db/deferred-writes.ts): true, or the statement fails with SQLSTATE
-- PLCHK and the check's message, rolling back everything the statement (and its transaction) wrote.
CREATE FUNCTION pl_check(ok BOOLEAN, message TEXT) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION '%', message USING ERRCODE = 'PLCHK';
  END IF;
  RETURN true;
END $$;
