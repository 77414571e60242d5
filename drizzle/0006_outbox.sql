CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`doc_kind` text NOT NULL,
	`doc_id` integer NOT NULL,
	`account` text NOT NULL,
	`period` text NOT NULL,
	`recipient` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_attempt_at` text,
	`last_reply` text,
	`sent_at` text,
	`message_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account`) REFERENCES `accounts`(`account`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "outbox_no_address" CHECK(("outbox"."state" = 'no_address') = ("outbox"."recipient" = ''))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_document_recipient` ON `outbox` (`doc_kind`,`doc_id`,`recipient`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message_id` ON `outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `outbox_state` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_period` ON `outbox` (`period`,`doc_kind`);