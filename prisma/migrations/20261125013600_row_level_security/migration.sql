-- Row Level Security for every tenant table.
--
-- Tenant queries run as the role hub_app (never a superuser, never a table owner),
-- with the caller's id set transaction-locally in app.user_id
-- (src/db/tenant.ts). FORCE makes the policies bind the table owner too; only the
-- migrating/engine connection, which must be a superuser or have BYPASSRLS, reads
-- across tenants (job claims, scheduler, token lookup).

DO $$
BEGIN
  CREATE ROLE hub_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  -- Roles are cluster-wide: another database on the same server may have created it.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- The connecting user switches to hub_app per transaction, so it must be a member
-- unless it is a superuser (which can switch to any role).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT hub_app TO %I', current_user);
  END IF;
END
$$;

DO $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO hub_app', current_schema());
END
$$;

GRANT SELECT, UPDATE ON "users" TO hub_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  "api_tokens",
  "marketplace_integrations",
  "marketplace_sync_jobs",
  "marketplace_product_mappings",
  "marketplace_webhooks",
  "webhook_deliveries",
  "marketplace_event_logs",
  "products",
  "orders",
  "order_lines",
  "sync_conflicts",
  "oauth_connect_states"
TO hub_app;

ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
CREATE POLICY "users_self" ON "users"
  USING ("id" = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK ("id" = NULLIF(current_setting('app.user_id', true), '')::uuid);

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'api_tokens',
    'marketplace_integrations',
    'marketplace_sync_jobs',
    'marketplace_product_mappings',
    'marketplace_webhooks',
    'webhook_deliveries',
    'marketplace_event_logs',
    'products',
    'orders',
    'order_lines',
    'sync_conflicts',
    'oauth_connect_states'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (user_id = NULLIF(current_setting(''app.user_id'', true), '''')::uuid) '
      'WITH CHECK (user_id = NULLIF(current_setting(''app.user_id'', true), '''')::uuid)',
      tenant_table || '_owner', tenant_table);
  END LOOP;
END
$$;
