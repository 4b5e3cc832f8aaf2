-- Neon's storage is SSD-backed and its hot pages are cached, so a random page read costs
-- about as much as a sequential one (PostgreSQL's docs suggest 1.1 for SSDs). With the
-- default 4.0 the planner sorts a guest's few bookings instead of reading them in index
-- order. Applies to new sessions of this database.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET random_page_cost = 1.1', current_database());
END;
$$;
