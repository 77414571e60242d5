CREATE TABLE `payment_moves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payment_id` integer NOT NULL,
	`n` integer NOT NULL,
	`from_account` text NOT NULL,
	`to_account` text,
	`by` text NOT NULL,
	`value_date` text NOT NULL,
	`on_date` text NOT NULL,
	`reversal_id` integer,
	`run_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reversal_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payment_moves_to" CHECK(("payment_moves"."by" = 'move') = ("payment_moves"."to_account" IS NOT NULL)),
	CONSTRAINT "payment_moves_reversal" CHECK(("payment_moves"."by" = 'reverse') = ("payment_moves"."reversal_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_moves_payment_n` ON `payment_moves` (`payment_id`,`n`);--> statement-breakpoint
ALTER TABLE `payments` ADD `reverses_payment_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `payments_reverses` ON `payments` (`reverses_payment_id`);