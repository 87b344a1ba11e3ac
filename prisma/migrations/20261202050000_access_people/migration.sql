-- Issue 19: a role made more privileged waits for a second person, like a privileged role grant.
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_kind_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_kind_check CHECK (kind IN ('role_grant', 'role_change'));

-- A key acts for its creator. A registration key acted for itself: it now acts for the company's first admin, the
-- company_admin user created with the company (within a minute of it); without one it acts for nobody (NULL).
UPDATE api_keys k SET created_by = (
    SELECT u.id FROM users u JOIN companies c ON c.id = u.company_id
     WHERE u.company_id = k.company_id AND 'company_admin' = ANY(u.roles) AND u.created_at <= c.created_at + interval '1 minute'
     ORDER BY u.created_at, u.id LIMIT 1)
 WHERE k.created_by IS NULL AND k.name = 'registration key';
