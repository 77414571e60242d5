CREATE TABLE `vat_rates` (
	`effective_from` text PRIMARY KEY NOT NULL,
	`rate` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `invoices` ADD `vat` integer;--> statement-breakpoint
ALTER TABLE `notices` ADD `number` text;--> statement-breakpoint
CREATE UNIQUE INDEX `notices_number` ON `notices` (`number`);--> statement-breakpoint
ALTER TABLE `operator` ADD `vat_rates` text DEFAULT '[{"from":"0001-01-01","rate":"0.12"},{"from":"2026-01-01","rate":"0.16"}]' NOT NULL;--> statement-breakpoint
ALTER TABLE `operator` ADD `vat_on_penalties` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `operator` ADD `payment_channels` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
-- D-13: the default rate versions, 12% before 2026, 16% from 1 January 2026 (Tax Code of 2025).
INSERT INTO `vat_rates` (`effective_from`, `rate`) VALUES ('0001-01-01', '0.12'), ('2026-01-01', '0.16');
