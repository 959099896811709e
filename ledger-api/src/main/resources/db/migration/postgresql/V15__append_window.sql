-- An appending transaction commits within its append window of its start, or not at all (SPEC §11, "no event
-- skipped"). Tracking processors (budget, alerts, Kafka) wait for a global index taken by a transaction that has not
-- committed yet for ledger.store.gap-timeout (60 s), then pass over it for good: an entry committed later would be in
-- the log but never in the budget, the alerts or on Kafka. A stalled writer (a long GC pause, a frozen host, a client
-- holding a transaction open) is therefore refused at COMMIT once its transaction has been open longer than the
-- window; the ledger answers such a command 503 OVERLOADED (SQLSTATE 57014) and nothing is appended.
-- The window is the transaction's ledger.append_window setting, which the ledger sets at each append from
-- ledger.store.append-window (20 s by default, at most a third of the gap timeout); 20 s for a writer that does not.
CREATE FUNCTION refuse_late_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    open_for INTERVAL := clock_timestamp() - transaction_timestamp();
    append_window INTERVAL := COALESCE(NULLIF(current_setting('ledger.append_window', true), ''), '20s')::INTERVAL;
BEGIN
    IF open_for > append_window THEN
        RAISE EXCEPTION 'An appending transaction open for % may not commit (append window %): readers may have passed over its entries.',
            open_for, append_window
            USING ERRCODE = '57014';
    END IF;
    RETURN NULL;
END $$;

-- Checked at COMMIT (a deferred constraint trigger), once per row appended.
CREATE CONSTRAINT TRIGGER append_window AFTER INSERT ON domain_event_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refuse_late_append();
