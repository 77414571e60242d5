ALTER TABLE `payments` ADD `suspense_reason` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `account_hint` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `reason_accounts` text;