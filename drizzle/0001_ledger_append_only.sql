-- The ledger and the invoice register are append-only: a correction is a new entry, never an edit.
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only: post a correcting entry instead');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only: post a correcting entry instead');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN
  SELECT RAISE(ABORT, 'invoices are never deleted: numbers must stay gapless');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_no_renumber BEFORE UPDATE OF number, year, seq, account, period ON invoices
BEGIN
  SELECT RAISE(ABORT, 'an invoice keeps its number, account and period');
END;
