DROP INDEX "processed_jobs_processed_at_idx";--> statement-breakpoint
ALTER TABLE "processed_jobs" ALTER COLUMN "processed_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "processed_jobs" ALTER COLUMN "processed_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "processed_jobs" ADD COLUMN "state" text DEFAULT 'running' NOT NULL;--> statement-breakpoint
ALTER TABLE "processed_jobs" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "processed_jobs" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "processed_jobs_created_at_idx" ON "processed_jobs" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "processed_jobs" ADD CONSTRAINT "processed_jobs_state" CHECK ("processed_jobs"."state" in ('running', 'done'));