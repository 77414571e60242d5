DROP INDEX `invoices_year_seq`;--> statement-breakpoint
ALTER TABLE `invoices` ADD `prefix` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_prefix_year_seq` ON `invoices` (`prefix`,`year`,`seq`);--> statement-breakpoint
-- Each invoice keeps the prefix it was issued with; numbers are gapless per prefix and year
-- (docs/invoices.md), so a new prefix (a new year, a branch) starts its own series at 1.
-- The one time a number is read: the invoices issued before this column, whose prefix is what
-- precedes "-{YYYY}-{seq:06}" in their number. A number that does not end so keeps '' and
-- `esep verify` names it.
UPDATE `invoices` SET `prefix` = substr(`number`, 1, length(`number`) - length('-' || `year` || '-' || printf('%06d', `seq`)))
  WHERE length(`number`) > length('-' || `year` || '-' || printf('%06d', `seq`))
    AND substr(`number`, -length('-' || `year` || '-' || printf('%06d', `seq`))) = '-' || `year` || '-' || printf('%06d', `seq`);--> statement-breakpoint
DROP TRIGGER `invoices_no_renumber`;--> statement-breakpoint
CREATE TRIGGER invoices_no_renumber BEFORE UPDATE OF number, prefix, year, seq, account, period ON invoices
BEGIN
  SELECT RAISE(ABORT, 'an invoice keeps its number, account and period');
END;
