-- Several engine instances on one ERP share its changes (README "Triggers"): on PostgreSQL each poll of erp_change
-- claims the rows it takes until claimed_until (now + bridge.erp.claim-lease), and other instances skip rows whose
-- claim has not run out. NULL = never claimed. Runs unchanged on H2 (MODE=PostgreSQL), whose single-instance poll
-- does not use it.
ALTER TABLE erp_change ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
