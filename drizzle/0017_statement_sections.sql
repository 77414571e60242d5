CREATE TABLE `statement_sections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer,
	`file` text NOT NULL,
	`format` text NOT NULL,
	`section` text NOT NULL,
	`line` integer NOT NULL,
	`account` text,
	`date_from` text,
	`date_to` text,
	`opening` integer,
	`stated_in` integer,
	`stated_out` integer,
	`closing` integer,
	`read_in` integer NOT NULL,
	`read_out` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `statement_sections_dates` ON `statement_sections` (`date_from`,`date_to`);--> statement-breakpoint
ALTER TABLE `payments` ADD `statement_account` text;--> statement-breakpoint
CREATE INDEX `payments_same_money` ON `payments` (`statement_account`,`value_date`,`amount`,`bank_ref`) WHERE "payments"."statement_account" IS NOT NULL;