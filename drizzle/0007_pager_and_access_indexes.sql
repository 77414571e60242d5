DROP INDEX `accounts_method_status`;--> statement-breakpoint
CREATE INDEX `accounts_method_account` ON `accounts` (`method`,`account`);--> statement-breakpoint
CREATE INDEX `access_events_account` ON `access_events` (`account`,`value_date`);