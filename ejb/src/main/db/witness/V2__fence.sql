-- Duplex schema, version 2: the write fence in one round trip per store (the same function as the data
-- databases' version 6). It takes the epoch lock shared, marks the transaction, then reads the state.
-- VOLATILE: in READ COMMITTED each statement inside takes a fresh snapshot (PostgreSQL docs, "Function
-- Volatility Categories"), so the state is read after the lock is granted, as two statements of the
-- caller's would; one statement of the caller's could not, its snapshot being taken before the lock wait.
CREATE FUNCTION duplex_fence(p_lock bigint, p_gtrid varchar, p_participants varchar)
RETURNS TABLE (epoch bigint, primary_node varchar, lagging varchar, written_by varchar)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(p_lock);
    INSERT INTO xa_marker (gtrid, written_at, participants) VALUES (p_gtrid, now(), p_participants);
    RETURN QUERY SELECT c.epoch, c.primary_node::varchar, c.lagging::varchar, c.written_by::varchar
        FROM cluster_state c WHERE c.id = 1;
END
$$;
