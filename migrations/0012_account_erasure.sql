ALTER TABLE "hosts" DROP CONSTRAINT "hosts_contact";--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_contact";--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "hosts" ADD CONSTRAINT "hosts_contact" CHECK ("hosts"."phone" is not null or "hosts"."email" is not null or "hosts"."deleted_at" is not null);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_contact" CHECK ("users"."phone" is not null or "users"."email" is not null or "users"."deleted_at" is not null);