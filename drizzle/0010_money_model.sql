CREATE TABLE `ledger_links` (
	`entry_id` integer PRIMARY KEY NOT NULL,
	`corrects_id` integer NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `ledger`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`corrects_id`) REFERENCES `ledger`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_links_not_self" CHECK("ledger_links"."entry_id" <> "ledger_links"."corrects_id")
);
--> statement-breakpoint
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
DROP INDEX `ledger_payment`;--> statement-breakpoint
DROP INDEX `ledger_invoice`;--> statement-breakpoint
CREATE INDEX `ledger_payment` ON `ledger` (`payment_id`) WHERE "ledger"."payment_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_invoice` ON `ledger` (`invoice_id`) WHERE "ledger"."invoice_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `access_events` ADD `cause` text;--> statement-breakpoint
-- Access events carry their cause as a code; the events recorded before this migration get theirs
-- from the reason's prefix and the account's termination (the last time any prose is read).
UPDATE `access_events` SET `cause` = CASE
    WHEN `event` = 'terminate' THEN (SELECT `terminated_by` FROM `accounts` a WHERE a.`account` = `access_events`.`account`)
    WHEN `reason` LIKE 'funds%' THEN 'funds'
    WHEN `reason` LIKE 'debt%' THEN 'debt'
  END;
--> statement-breakpoint
-- Service spans of the prorated charges posted so far, from their memos ("2026-10-16..2026-10-31 16/31 name").
INSERT INTO `ledger_spans` (`entry_id`, `service_from`, `service_to`, `service_days`, `period_days`, `name`)
SELECT id, substr(memo, 1, 10), substr(memo, 13, 10),
       CAST(substr(rest, 1, instr(rest, '/') - 1) AS INTEGER),
       CAST(substr(rest, instr(rest, '/') + 1) AS INTEGER),
       CASE WHEN instr(substr(rest, instr(rest, '/') + 1), ' ') > 0
            THEN substr(substr(rest, instr(rest, '/') + 1), instr(substr(rest, instr(rest, '/') + 1), ' ') + 1) END
  FROM (SELECT id, memo, substr(memo, 24) AS rest FROM `ledger`
         WHERE kind IN ('monthly_fee', 'third_party')
           AND memo GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]..[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9]*/[0-9]*');
--> statement-breakpoint
-- D-7: the corrections posted so far get the link to the entry they correct, derived from the keys
-- their jobs gave them. Nothing in the ledger is rewritten.
-- A port reservation reversed at restoration corrects the day's port reservation.
INSERT INTO `ledger_links` (`entry_id`, `corrects_id`)
SELECT c.id, d.id FROM `ledger` c JOIN `ledger` d ON d.key = 'day:' || c.account || ':' || c.value_date
 WHERE c.key = 'restore:' || c.account || ':' || c.value_date || ':port' AND d.kind = 'port_reservation';
--> statement-breakpoint
-- A charge reversed at termination corrects the charge whose key it carries.
INSERT INTO `ledger_links` (`entry_id`, `corrects_id`)
SELECT c.id, d.id FROM `ledger` c JOIN `ledger` d ON d.key = substr(c.key, length('terminated:') + 1)
 WHERE substr(c.key, 1, length('terminated:')) = 'terminated:' AND c.amount > 0;
--> statement-breakpoint
-- A penalty correction (D-4) corrects the latest penalty charged before it for the same invoice and day.
INSERT INTO `ledger_links` (`entry_id`, `corrects_id`)
SELECT c.id, (SELECT MAX(d.id) FROM `ledger` d WHERE d.kind = 'penalty' AND d.amount < 0 AND d.account = c.account
                AND d.invoice_id = c.invoice_id AND d.value_date = c.value_date AND d.id < c.id)
  FROM `ledger` c
 WHERE c.kind = 'penalty' AND c.amount > 0
   AND EXISTS (SELECT 1 FROM `ledger` d WHERE d.kind = 'penalty' AND d.amount < 0 AND d.account = c.account
                AND d.invoice_id = c.invoice_id AND d.value_date = c.value_date AND d.id < c.id);
--> statement-breakpoint
-- A recalculated day of an advance account corrects that day's daily fee (the restoration's, if any).
INSERT INTO `ledger_links` (`entry_id`, `corrects_id`)
SELECT c.id, d.id FROM `ledger` c JOIN `accounts` a ON a.account = c.account AND a.method = 'advance'
  JOIN `ledger` d ON d.account = c.account AND d.value_date = c.value_date AND d.kind = 'daily_fee' AND d.amount < 0
 WHERE c.kind = 'recalc'
   AND d.id = (SELECT MAX(x.id) FROM `ledger` x WHERE x.account = c.account AND x.value_date = c.value_date AND x.kind = 'daily_fee' AND x.amount < 0);
--> statement-breakpoint
-- A recalculated day of a credit account corrects the monthly fee whose span holds the day.
INSERT INTO `ledger_links` (`entry_id`, `corrects_id`)
SELECT c.id, (SELECT MIN(d.id) FROM `ledger` d JOIN `ledger_spans` s ON s.entry_id = d.id
                WHERE d.account = c.account AND d.kind = 'monthly_fee' AND d.amount < 0 AND c.value_date BETWEEN s.service_from AND s.service_to)
  FROM `ledger` c JOIN `accounts` a ON a.account = c.account AND a.method = 'credit'
 WHERE c.kind = 'recalc'
   AND EXISTS (SELECT 1 FROM `ledger` d JOIN `ledger_spans` s ON s.entry_id = d.id
                WHERE d.account = c.account AND d.kind = 'monthly_fee' AND d.amount < 0 AND c.value_date BETWEEN s.service_from AND s.service_to);
--> statement-breakpoint
-- The ledger cannot be rewritten by an insert either: INSERT OR REPLACE of an existing id or key
-- would delete the old row without the DELETE trigger firing. The same key posted again is
-- refused here and compared by the posting code (db/ledger.ts).
CREATE TRIGGER ledger_no_replace BEFORE INSERT ON ledger
WHEN EXISTS (SELECT 1 FROM ledger WHERE id = NEW.id) OR EXISTS (SELECT 1 FROM ledger WHERE key = NEW.key)
BEGIN
  SELECT RAISE(ABORT, 'ledger entry exists: an entry is never replaced');
END;
--> statement-breakpoint
-- Kinds that nothing corrects keep their sign (domain/entries.ts, NEVER_CORRECTED).
CREATE TRIGGER ledger_kind_sign BEFORE INSERT ON ledger
WHEN (NEW.kind IN ('installation', 'equipment', 'backbill', 'refund') AND NEW.amount > 0) OR (NEW.kind IN ('adjustment') AND NEW.amount < 0)
BEGIN
  SELECT RAISE(ABORT, 'ledger: this kind of entry cannot have this sign');
END;
--> statement-breakpoint
-- D-7: a correction is of the same account, of the opposite sign, and never more than what is left
-- of the entry it corrects.
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
