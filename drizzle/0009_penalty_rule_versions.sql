CREATE TABLE `penalty_rules` (
	`effective_from` text PRIMARY KEY NOT NULL,
	`rate` text NOT NULL,
	`cap_days` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "penalty_rules_cap" CHECK("penalty_rules"."cap_days" >= 0)
);
--> statement-breakpoint
-- The settings in force until now apply from the beginning: the operator's current rate and cap.
INSERT INTO `penalty_rules` (`effective_from`, `rate`, `cap_days`) SELECT '0001-01-01', `penalty_rate`, `penalty_cap_days` FROM `operator` WHERE `id` = 1;
