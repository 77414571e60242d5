CREATE TABLE `notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account` text NOT NULL,
	`kind` text NOT NULL,
	`issued_on` text NOT NULL,
	`debt` integer NOT NULL,
	`penalty_debt` integer NOT NULL,
	`equipment_return_by` text,
	`file` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_account_kind_day` ON `notices` (`account`,`kind`,`issued_on`);