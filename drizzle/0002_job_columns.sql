ALTER TABLE `accounts` ADD `debited_through` text;--> statement-breakpoint
CREATE INDEX `accounts_method_status` ON `accounts` (`method`,`status`);--> statement-breakpoint
ALTER TABLE `tariff_prices` ADD `third_party_fee` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tariff_prices` ADD `third_party_name` text;--> statement-breakpoint
CREATE INDEX `ledger_payment` ON `ledger` (`payment_id`);--> statement-breakpoint
CREATE INDEX `ledger_invoice` ON `ledger` (`invoice_id`);