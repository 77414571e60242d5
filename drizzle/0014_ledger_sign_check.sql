-- The ledger's inserts fire no trigger (docs/benches.md, "The ledger's guards"): any trigger on
-- them, even one whose condition is a constant, makes SQLite keep a statement journal for every
-- insert, and doubled what an insert costs. Its two insert triggers of migration 0010 go:
--  - ledger_kind_sign becomes a CHECK constraint of the same name (the sign of a kind that nothing
--    corrects, domain/entries.ts keepsItsSignSql), which binds every connection;
--  - ledger_no_replace: an entry replaced by INSERT OR REPLACE (by id or by key) is refused by
--    ledger_no_delete instead, because every connection esep opens sets PRAGMA recursive_triggers
--    (db/connection.ts), under which the row REPLACE deletes fires the delete triggers. A sqlite3
--    shell must set it too; `esep verify` names an entry that went missing.
-- SQLite cannot add a CHECK to a table, so the ledger is rebuilt: every row with its id, the id
-- sequence, the indexes and the append-only triggers. The migration runs in one transaction with
-- foreign keys on, so the two tables that reference the ledger (ledger_links, ledger_spans) are set
-- aside in temp tables and rebuilt after it, as 0010 made them, with their rows, index and triggers.
CREATE TEMP TABLE `__ledger_links` AS SELECT * FROM `ledger_links`;--> statement-breakpoint
CREATE TEMP TABLE `__ledger_spans` AS SELECT * FROM `ledger_spans`;--> statement-breakpoint
CREATE TEMP TABLE `__ledger_seq` AS SELECT seq FROM sqlite_sequence WHERE name = 'ledger';--> statement-breakpoint
DROP TABLE `ledger_links`;--> statement-breakpoint
DROP TABLE `ledger_spans`;--> statement-breakpoint
CREATE TABLE `__new_ledger` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account` text NOT NULL,
	`value_date` text NOT NULL,
	`kind` text NOT NULL,
	`amount` integer NOT NULL,
	`key` text NOT NULL,
	`invoice_id` integer,
	`payment_id` integer,
	`run_id` integer,
	`memo` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_amount_not_zero" CHECK("__new_ledger"."amount" <> 0),
	CONSTRAINT "ledger_kind_sign" CHECK(NOT ((kind IN ('installation', 'equipment', 'backbill', 'refund') AND amount > 0) OR (kind IN ('adjustment') AND amount < 0)))
);
--> statement-breakpoint
INSERT INTO `__new_ledger` ("id", "account", "value_date", "kind", "amount", "key", "invoice_id", "payment_id", "run_id", "memo", "created_at")
  SELECT "id", "account", "value_date", "kind", "amount", "key", "invoice_id", "payment_id", "run_id", "memo", "created_at" FROM `ledger` ORDER BY "id";--> statement-breakpoint
DROP TABLE `ledger`;--> statement-breakpoint
ALTER TABLE `__new_ledger` RENAME TO `ledger`;--> statement-breakpoint
DELETE FROM sqlite_sequence WHERE name = 'ledger';--> statement-breakpoint
INSERT INTO sqlite_sequence (name, seq) SELECT 'ledger', seq FROM temp.`__ledger_seq`;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_key` ON `ledger` (`key`);--> statement-breakpoint
CREATE INDEX `ledger_account_date` ON `ledger` (`account`,`value_date`);--> statement-breakpoint
CREATE INDEX `ledger_payment` ON `ledger` (`payment_id`) WHERE "ledger"."payment_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_invoice` ON `ledger` (`invoice_id`) WHERE "ledger"."invoice_id" IS NOT NULL;--> statement-breakpoint
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
CREATE TABLE `ledger_links` (
	`entry_id` integer PRIMARY KEY NOT NULL,
	`corrects_id` integer NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `ledger`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`corrects_id`) REFERENCES `ledger`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_links_not_self" CHECK("ledger_links"."entry_id" <> "ledger_links"."corrects_id")
);
--> statement-breakpoint
INSERT INTO `ledger_links` ("entry_id", "corrects_id") SELECT "entry_id", "corrects_id" FROM temp.`__ledger_links` ORDER BY "entry_id";--> statement-breakpoint
CREATE INDEX `ledger_links_corrects` ON `ledger_links` (`corrects_id`);--> statement-breakpoint
CREATE TABLE `ledger_spans` (
	`entry_id` integer PRIMARY KEY NOT NULL,
	`service_from` text NOT NULL,
	`service_to` text NOT NULL,
	`service_days` integer NOT NULL,
	`period_days` integer NOT NULL,
	`name` text,
	FOREIGN KEY (`entry_id`) REFERENCES `ledger`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_spans_days" CHECK("ledger_spans"."service_days" BETWEEN 1 AND "ledger_spans"."period_days" AND "ledger_spans"."service_from" <= "ledger_spans"."service_to")
);
--> statement-breakpoint
INSERT INTO `ledger_spans` ("entry_id", "service_from", "service_to", "service_days", "period_days", "name")
  SELECT "entry_id", "service_from", "service_to", "service_days", "period_days", "name" FROM temp.`__ledger_spans` ORDER BY "entry_id";--> statement-breakpoint
DROP TABLE temp.`__ledger_links`;--> statement-breakpoint
DROP TABLE temp.`__ledger_spans`;--> statement-breakpoint
DROP TABLE temp.`__ledger_seq`;--> statement-breakpoint
-- D-7: a correction is of the same account, of the opposite sign, and never more than what is left
-- of the entry it corrects (as in migration 0010).
CREATE TRIGGER ledger_links_check BEFORE INSERT ON ledger_links
WHEN (SELECT c.account <> t.account OR (c.amount > 0) = (t.amount > 0) FROM ledger c, ledger t WHERE c.id = NEW.entry_id AND t.id = NEW.corrects_id)
  OR (SELECT ABS(amount) FROM ledger WHERE id = NEW.corrects_id)
     < (SELECT ABS(amount) FROM ledger WHERE id = NEW.entry_id)
       + COALESCE((SELECT SUM(ABS(l.amount)) FROM ledger_links k JOIN ledger l ON l.id = k.entry_id WHERE k.corrects_id = NEW.corrects_id), 0)
BEGIN
  SELECT RAISE(ABORT, 'ledger: a correction must be of the same account, of the opposite sign, and within what is left of the entry it corrects');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_links_no_update BEFORE UPDATE ON ledger_links
BEGIN
  SELECT RAISE(ABORT, 'ledger links are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_links_no_delete BEFORE DELETE ON ledger_links
BEGIN
  SELECT RAISE(ABORT, 'ledger links are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_spans_no_update BEFORE UPDATE ON ledger_spans
BEGIN
  SELECT RAISE(ABORT, 'ledger spans are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_spans_no_delete BEFORE DELETE ON ledger_spans
BEGIN
  SELECT RAISE(ABORT, 'ledger spans are append-only');
END;
