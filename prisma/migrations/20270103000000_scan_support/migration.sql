-- Issue 16: the support assistant on the public scan page. An anonymous visitor's conversation belongs to no company
-- and no user: it is about one part (the GTIN/serial of the page it was asked on). The visitor may leave a contact for
-- the person taking over: personal data, AES-256-GCM ciphertext (contact_ct), shown masked, rotated with the others.
ALTER TABLE support_conversations
  ALTER COLUMN company_id DROP NOT NULL,
  ALTER COLUMN user_id DROP NOT NULL,
  ADD COLUMN channel TEXT NOT NULL DEFAULT 'console' CHECK (channel IN ('console', 'scan')),
  ADD COLUMN gtin TEXT,
  ADD COLUMN serial TEXT,
  ADD COLUMN contact_ct BYTEA;
ALTER TABLE support_conversations ADD CONSTRAINT support_conversations_channel_owner CHECK (
  (channel = 'console' AND company_id IS NOT NULL AND user_id IS NOT NULL AND gtin IS NULL)
  OR (channel = 'scan' AND company_id IS NULL AND user_id IS NULL AND gtin IS NOT NULL AND serial IS NOT NULL)
);

-- One row per form post of the scan page's assistant: the same post sent again (a reload, a retry) is recognised and
-- answered from what was stored, never asked twice.
CREATE TABLE support_scan_submissions (
  submission_key   BYTEA PRIMARY KEY,
  conversation_id  TEXT NOT NULL REFERENCES support_conversations (id),
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
