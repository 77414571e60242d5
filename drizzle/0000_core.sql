CREATE TABLE `access_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account` text NOT NULL,
	`at` text NOT NULL,
	`value_date` text NOT NULL,
	`event` text NOT NULL,
	`reason` text NOT NULL,
	`key` text NOT NULL,
	`run_id` integer,
	FOREIGN KEY (`account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_events_key` ON `access_events` (`key`);--> statement-breakpoint
CREATE INDEX `access_events_date` ON `access_events` (`value_date`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`account` text PRIMARY KEY NOT NULL,
	`iin` text NOT NULL,
	`method` text NOT NULL,
	`tariff_code` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`suspend_reason` text,
	`connected_on` text NOT NULL,
	`terminated_on` text,
	`terminated_by` text,
	`premises_owned` integer NOT NULL,
	`address` text NOT NULL,
	`email` text,
	`phone` text,
	`balance` integer DEFAULT 0 NOT NULL,
	`equipment_return_by` text,
	`refund_due_on` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`iin`) REFERENCES `subscribers`(`iin`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tariff_code`) REFERENCES `tariffs`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "accounts_suspend_reason" CHECK(("accounts"."status" = 'suspended') = ("accounts"."suspend_reason" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `accounts_iin` ON `accounts` (`iin`);--> statement-breakpoint
CREATE TABLE `allocations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account` text NOT NULL,
	`credit_entry_id` integer NOT NULL,
	`debit_entry_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`as_of` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credit_entry_id`) REFERENCES `ledger`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debit_entry_id`) REFERENCES `ledger`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "allocations_positive" CHECK("allocations"."amount" > 0)
);
--> statement-breakpoint
CREATE INDEX `allocations_account` ON `allocations` (`account`);--> statement-breakpoint
CREATE INDEX `allocations_credit` ON `allocations` (`credit_entry_id`);--> statement-breakpoint
CREATE INDEX `allocations_debit` ON `allocations` (`debit_entry_id`);--> statement-breakpoint
CREATE TABLE `equipment` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account` text NOT NULL,
	`serial` text NOT NULL,
	`model` text,
	`cost` integer NOT NULL,
	`rented` integer DEFAULT true NOT NULL,
	`handed_out_on` text NOT NULL,
	`returned_on` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `equipment_account_serial` ON `equipment` (`account`,`serial`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`account` text NOT NULL,
	`period` text NOT NULL,
	`final` integer DEFAULT false NOT NULL,
	`issued_on` text NOT NULL,
	`due_on` text NOT NULL,
	`opening_balance` integer NOT NULL,
	`charges` integer NOT NULL,
	`credits` integer NOT NULL,
	`payments` integer NOT NULL,
	`penalties` integer NOT NULL,
	`closing_balance` integer NOT NULL,
	`principal` integer NOT NULL,
	`amount_due` integer NOT NULL,
	`advised_topup` integer,
	`file` text,
	`run_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number` ON `invoices` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_year_seq` ON `invoices` (`year`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_account_period` ON `invoices` (`account`,`period`);--> statement-breakpoint
CREATE TABLE `job_locks` (
	`name` text PRIMARY KEY NOT NULL,
	`pid` integer NOT NULL,
	`host` text NOT NULL,
	`job` text NOT NULL,
	`acquired_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`scope` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`outcome` text NOT NULL,
	`counts` text DEFAULT '{}' NOT NULL,
	`message` text,
	`pid` integer
);
--> statement-breakpoint
CREATE INDEX `job_runs_job` ON `job_runs` (`job`,`scope`);--> statement-breakpoint
CREATE TABLE `ledger` (
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
	CONSTRAINT "ledger_amount_not_zero" CHECK("ledger"."amount" <> 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_key` ON `ledger` (`key`);--> statement-breakpoint
CREATE INDEX `ledger_account_date` ON `ledger` (`account`,`value_date`);--> statement-breakpoint
CREATE TABLE `operator` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`bin` text NOT NULL,
	`iban` text NOT NULL,
	`bank` text NOT NULL,
	`bic` text NOT NULL,
	`kbe` text NOT NULL,
	`knp` text NOT NULL,
	`address` text NOT NULL,
	`phone` text NOT NULL,
	`site` text NOT NULL,
	`email` text NOT NULL,
	`invoice_prefix` text NOT NULL,
	`penalty_rate` text DEFAULT '0.005' NOT NULL,
	`penalty_cap_days` integer DEFAULT 30 NOT NULL,
	`grace_days` integer DEFAULT 0 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "operator_single_row" CHECK("operator"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`identity` text NOT NULL,
	`format` text NOT NULL,
	`bank_ref` text NOT NULL,
	`value_date` text NOT NULL,
	`amount` integer NOT NULL,
	`account` text,
	`status` text NOT NULL,
	`matched_by` text,
	`payer_iin` text,
	`payer_name` text,
	`purpose` text,
	`file` text,
	`line` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`assigned_at` text,
	FOREIGN KEY (`account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_identity` ON `payments` (`identity`);--> statement-breakpoint
CREATE INDEX `payments_status` ON `payments` (`status`);--> statement-breakpoint
CREATE TABLE `subscribers` (
	`iin` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
CREATE TABLE `tariff_prices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tariff_code` text NOT NULL,
	`effective_from` text NOT NULL,
	`announced_on` text,
	`monthly_fee` integer NOT NULL,
	`port_fee` integer NOT NULL,
	`installation_fee` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`tariff_code`) REFERENCES `tariffs`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tariff_prices_non_negative" CHECK("tariff_prices"."monthly_fee" >= 0 AND "tariff_prices"."port_fee" >= 0 AND "tariff_prices"."installation_fee" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tariff_prices_version` ON `tariff_prices` (`tariff_code`,`effective_from`);--> statement-breakpoint
CREATE TABLE `tariffs` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`discontinued_on` text,
	`successor_code` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
