-- CreateEnum
CREATE TYPE "marketplace_platform" AS ENUM ('shopify', 'woocommerce', 'etsy', 'cdiscount', 'allegro', 'manomano', 'amazon', 'ebay');

-- CreateEnum
CREATE TYPE "integration_status" AS ENUM ('connected', 'syncing', 'error', 'disconnected');

-- CreateEnum
CREATE TYPE "sync_direction" AS ENUM ('push', 'pull', 'bidirectional');

-- CreateEnum
CREATE TYPE "sync_job_type" AS ENUM ('products', 'orders', 'inventory', 'full');

-- CreateEnum
CREATE TYPE "sync_job_trigger" AS ENUM ('manual', 'schedule', 'webhook', 'retry');

-- CreateEnum
CREATE TYPE "sync_job_status" AS ENUM ('queued', 'running', 'succeeded', 'partially_succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "mapping_status" AS ENUM ('synced', 'pending', 'conflict', 'error', 'missing', 'deleted');

-- CreateEnum
CREATE TYPE "webhook_delivery_status" AS ENUM ('pending', 'processing', 'processed', 'failed', 'dead_lettered');

-- CreateEnum
CREATE TYPE "webhook_signature_result" AS ENUM ('verified', 'verified_previous_secret');

-- CreateEnum
CREATE TYPE "event_type" AS ENUM ('integration_connected', 'integration_updated', 'integration_disconnected', 'credentials_refreshed', 'credentials_invalid', 'sync_queued', 'sync_started', 'sync_completed', 'sync_failed', 'sync_cancelled', 'sync_retried', 'sync_conflict_detected', 'sync_conflict_resolved', 'deletion_guard_triggered', 'rate_limited', 'product_created', 'product_updated', 'product_deleted', 'product_linked', 'product_unlinked', 'webhook_received', 'webhook_rejected', 'webhook_registered', 'webhook_removed', 'webhook_dead_lettered', 'error_occurred');

-- CreateEnum
CREATE TYPE "event_source" AS ENUM ('api', 'webhook', 'manual', 'scheduler', 'worker');

-- CreateEnum
CREATE TYPE "event_severity" AS ENUM ('info', 'warning', 'error', 'critical');

-- CreateEnum
CREATE TYPE "product_status" AS ENUM ('active', 'draft', 'archived');

-- CreateEnum
CREATE TYPE "order_status" AS ENUM ('pending', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded');

-- CreateEnum
CREATE TYPE "conflict_status" AS ENUM ('open', 'resolved');

-- CreateEnum
CREATE TYPE "conflict_resolution" AS ENUM ('local', 'remote', 'base');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketplace_integrations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "platform" "marketplace_platform" NOT NULL,
    "display_name" TEXT NOT NULL,
    "account_key" TEXT NOT NULL,
    "shop_id" TEXT,
    "shop_url" TEXT,
    "seller_id" TEXT,
    "marketplace" TEXT,
    "credentials_sealed" BYTEA,
    "credentials_key_id" TEXT,
    "credential_fields" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "credential_hint" TEXT,
    "status" "integration_status" NOT NULL DEFAULT 'connected',
    "sync_direction" "sync_direction" NOT NULL DEFAULT 'bidirectional',
    "auto_sync_enabled" BOOLEAN NOT NULL DEFAULT true,
    "sync_frequency_minutes" INTEGER NOT NULL DEFAULT 60,
    "config" JSONB NOT NULL DEFAULT '{}',
    "cursors" JSONB NOT NULL DEFAULT '{}',
    "last_sync_at" TIMESTAMPTZ(3),
    "next_sync_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "total_products_synced" INTEGER NOT NULL DEFAULT 0,
    "total_orders_synced" INTEGER NOT NULL DEFAULT 0,
    "total_sync_count" INTEGER NOT NULL DEFAULT 0,
    "failed_sync_count" INTEGER NOT NULL DEFAULT 0,
    "connected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disconnected_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "marketplace_integrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketplace_sync_jobs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "type" "sync_job_type" NOT NULL,
    "direction" "sync_direction" NOT NULL,
    "trigger" "sync_job_trigger" NOT NULL,
    "status" "sync_job_status" NOT NULL DEFAULT 'queued',
    "scope" JSONB,
    "phase" TEXT,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "created_count" INTEGER NOT NULL DEFAULT 0,
    "updated_count" INTEGER NOT NULL DEFAULT 0,
    "unchanged_count" INTEGER NOT NULL DEFAULT 0,
    "skipped_count" INTEGER NOT NULL DEFAULT 0,
    "failed_count" INTEGER NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 5,
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "cancel_requested_at" TIMESTAMPTZ(3),
    "checkpoint" JSONB,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "error" JSONB,
    "results" JSONB,
    "schedule_slot" TIMESTAMPTZ(3),
    "retry_of_id" UUID,
    "webhook_delivery_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "marketplace_sync_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketplace_product_mappings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "external_sku" TEXT,
    "external_variant_id" TEXT,
    "status" "mapping_status" NOT NULL DEFAULT 'synced',
    "pushed_hash" TEXT,
    "pulled_hash" TEXT,
    "base_values" JSONB,
    "remote_updated_at" TIMESTAMPTZ(3),
    "last_pushed_at" TIMESTAMPTZ(3),
    "last_pulled_at" TIMESTAMPTZ(3),
    "missed_pulls" INTEGER NOT NULL DEFAULT 0,
    "sync_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "marketplace_product_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketplace_webhooks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "topics" TEXT[],
    "external_id" TEXT,
    "endpoint_url" TEXT NOT NULL,
    "secret_sealed" BYTEA,
    "secret_key_id" TEXT,
    "previous_secret_sealed" BYTEA,
    "previous_secret_key_id" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "total_calls" INTEGER NOT NULL DEFAULT 0,
    "failed_calls" INTEGER NOT NULL DEFAULT 0,
    "last_received_at" TIMESTAMPTZ(3),
    "last_failure_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "marketplace_webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "webhook_id" UUID,
    "platform" "marketplace_platform" NOT NULL,
    "event_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "raw_body" BYTEA NOT NULL,
    "signature_result" "webhook_signature_result" NOT NULL,
    "status" "webhook_delivery_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketplace_event_logs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "integration_id" UUID,
    "sync_job_id" UUID,
    "type" "event_type" NOT NULL,
    "source" "event_source" NOT NULL,
    "severity" "event_severity" NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "correlation_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "marketplace_event_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "price" DECIMAL(14,4) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "stock" INTEGER NOT NULL DEFAULT 0,
    "images" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "status" "product_status" NOT NULL DEFAULT 'active',
    "field_updated_at" JSONB NOT NULL DEFAULT '{}',
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "status" "order_status" NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "subtotal_amount" DECIMAL(14,4),
    "shipping_amount" DECIMAL(14,4),
    "total_amount" DECIMAL(14,4) NOT NULL,
    "buyer_name" TEXT,
    "buyer_email" TEXT,
    "shipping_country" VARCHAR(2),
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "external_updated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_lines" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "external_line_id" TEXT NOT NULL,
    "product_id" UUID,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price" DECIMAL(14,4) NOT NULL,
    "stock_applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "order_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_conflicts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "mapping_id" UUID,
    "sync_job_id" UUID,
    "field" TEXT NOT NULL,
    "local_value" JSONB,
    "remote_value" JSONB,
    "base_value" JSONB,
    "status" "conflict_status" NOT NULL DEFAULT 'open',
    "resolution" "conflict_resolution",
    "resolved_value" JSONB,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_conflicts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_connect_states" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "platform" "marketplace_platform" NOT NULL,
    "state" TEXT NOT NULL,
    "verifier_sealed" BYTEA,
    "verifier_key_id" TEXT,
    "redirect_uri" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_connect_states_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_created_at_idx" ON "api_tokens"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "marketplace_integrations_user_id_created_at_idx" ON "marketplace_integrations"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "marketplace_integrations_user_id_platform_status_idx" ON "marketplace_integrations"("user_id", "platform", "status");

-- CreateIndex
CREATE INDEX "marketplace_integrations_auto_sync_enabled_status_next_sync_idx" ON "marketplace_integrations"("auto_sync_enabled", "status", "next_sync_at");

-- CreateIndex
CREATE UNIQUE INDEX "marketplace_integrations_user_id_platform_account_key_key" ON "marketplace_integrations"("user_id", "platform", "account_key");

-- CreateIndex
CREATE INDEX "marketplace_sync_jobs_status_run_after_idx" ON "marketplace_sync_jobs"("status", "run_after");

-- CreateIndex
CREATE INDEX "marketplace_sync_jobs_status_lease_expires_at_idx" ON "marketplace_sync_jobs"("status", "lease_expires_at");

-- CreateIndex
CREATE INDEX "marketplace_sync_jobs_integration_id_created_at_idx" ON "marketplace_sync_jobs"("integration_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "marketplace_sync_jobs_integration_id_status_idx" ON "marketplace_sync_jobs"("integration_id", "status");

-- CreateIndex
CREATE INDEX "marketplace_sync_jobs_user_id_created_at_idx" ON "marketplace_sync_jobs"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "marketplace_sync_jobs_retry_of_id_idx" ON "marketplace_sync_jobs"("retry_of_id");

-- CreateIndex
CREATE INDEX "marketplace_sync_jobs_webhook_delivery_id_idx" ON "marketplace_sync_jobs"("webhook_delivery_id");

-- CreateIndex
CREATE UNIQUE INDEX "marketplace_sync_jobs_integration_id_schedule_slot_key" ON "marketplace_sync_jobs"("integration_id", "schedule_slot");

-- CreateIndex
CREATE INDEX "marketplace_product_mappings_integration_id_status_idx" ON "marketplace_product_mappings"("integration_id", "status");

-- CreateIndex
CREATE INDEX "marketplace_product_mappings_integration_id_external_sku_idx" ON "marketplace_product_mappings"("integration_id", "external_sku");

-- CreateIndex
CREATE INDEX "marketplace_product_mappings_product_id_idx" ON "marketplace_product_mappings"("product_id");

-- CreateIndex
CREATE INDEX "marketplace_product_mappings_user_id_created_at_idx" ON "marketplace_product_mappings"("user_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "marketplace_product_mappings_integration_id_external_id_key" ON "marketplace_product_mappings"("integration_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "marketplace_product_mappings_integration_id_product_id_key" ON "marketplace_product_mappings"("integration_id", "product_id");

-- CreateIndex
CREATE INDEX "marketplace_webhooks_integration_id_active_idx" ON "marketplace_webhooks"("integration_id", "active");

-- CreateIndex
CREATE INDEX "marketplace_webhooks_user_id_created_at_idx" ON "marketplace_webhooks"("user_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "marketplace_webhooks_integration_id_external_id_key" ON "marketplace_webhooks"("integration_id", "external_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_integration_id_status_received_at_idx" ON "webhook_deliveries"("integration_id", "status", "received_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_user_id_received_at_idx" ON "webhook_deliveries"("user_id", "received_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_idx" ON "webhook_deliveries"("webhook_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_integration_id_event_id_key" ON "webhook_deliveries"("integration_id", "event_id");

-- CreateIndex
CREATE INDEX "marketplace_event_logs_user_id_created_at_idx" ON "marketplace_event_logs"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "marketplace_event_logs_integration_id_created_at_idx" ON "marketplace_event_logs"("integration_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "marketplace_event_logs_sync_job_id_idx" ON "marketplace_event_logs"("sync_job_id");

-- CreateIndex
CREATE INDEX "products_user_id_updated_at_idx" ON "products"("user_id", "updated_at" DESC);

-- CreateIndex
CREATE INDEX "products_user_id_created_at_idx" ON "products"("user_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "products_user_id_sku_key" ON "products"("user_id", "sku");

-- CreateIndex
CREATE INDEX "orders_user_id_placed_at_idx" ON "orders"("user_id", "placed_at" DESC);

-- CreateIndex
CREATE INDEX "orders_integration_id_placed_at_idx" ON "orders"("integration_id", "placed_at" DESC);

-- CreateIndex
CREATE INDEX "orders_integration_id_status_idx" ON "orders"("integration_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "orders_integration_id_external_id_key" ON "orders"("integration_id", "external_id");

-- CreateIndex
CREATE INDEX "order_lines_product_id_idx" ON "order_lines"("product_id");

-- CreateIndex
CREATE INDEX "order_lines_user_id_idx" ON "order_lines"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "order_lines_order_id_external_line_id_key" ON "order_lines"("order_id", "external_line_id");

-- CreateIndex
CREATE INDEX "sync_conflicts_integration_id_status_created_at_idx" ON "sync_conflicts"("integration_id", "status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sync_conflicts_user_id_created_at_idx" ON "sync_conflicts"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sync_conflicts_product_id_field_status_idx" ON "sync_conflicts"("product_id", "field", "status");

-- CreateIndex
CREATE INDEX "sync_conflicts_mapping_id_idx" ON "sync_conflicts"("mapping_id");

-- CreateIndex
CREATE INDEX "sync_conflicts_sync_job_id_idx" ON "sync_conflicts"("sync_job_id");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_connect_states_state_key" ON "oauth_connect_states"("state");

-- CreateIndex
CREATE INDEX "oauth_connect_states_user_id_idx" ON "oauth_connect_states"("user_id");

-- CreateIndex
CREATE INDEX "oauth_connect_states_expires_at_idx" ON "oauth_connect_states"("expires_at");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_integrations" ADD CONSTRAINT "marketplace_integrations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_sync_jobs" ADD CONSTRAINT "marketplace_sync_jobs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_sync_jobs" ADD CONSTRAINT "marketplace_sync_jobs_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "marketplace_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_sync_jobs" ADD CONSTRAINT "marketplace_sync_jobs_retry_of_id_fkey" FOREIGN KEY ("retry_of_id") REFERENCES "marketplace_sync_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_sync_jobs" ADD CONSTRAINT "marketplace_sync_jobs_webhook_delivery_id_fkey" FOREIGN KEY ("webhook_delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_product_mappings" ADD CONSTRAINT "marketplace_product_mappings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_product_mappings" ADD CONSTRAINT "marketplace_product_mappings_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "marketplace_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_product_mappings" ADD CONSTRAINT "marketplace_product_mappings_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_webhooks" ADD CONSTRAINT "marketplace_webhooks_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_webhooks" ADD CONSTRAINT "marketplace_webhooks_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "marketplace_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "marketplace_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "marketplace_webhooks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_event_logs" ADD CONSTRAINT "marketplace_event_logs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_event_logs" ADD CONSTRAINT "marketplace_event_logs_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "marketplace_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace_event_logs" ADD CONSTRAINT "marketplace_event_logs_sync_job_id_fkey" FOREIGN KEY ("sync_job_id") REFERENCES "marketplace_sync_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products" ADD CONSTRAINT "products_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "marketplace_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_conflicts" ADD CONSTRAINT "sync_conflicts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_conflicts" ADD CONSTRAINT "sync_conflicts_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "marketplace_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_conflicts" ADD CONSTRAINT "sync_conflicts_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_conflicts" ADD CONSTRAINT "sync_conflicts_mapping_id_fkey" FOREIGN KEY ("mapping_id") REFERENCES "marketplace_product_mappings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_conflicts" ADD CONSTRAINT "sync_conflicts_sync_job_id_fkey" FOREIGN KEY ("sync_job_id") REFERENCES "marketplace_sync_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_connect_states" ADD CONSTRAINT "oauth_connect_states_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
