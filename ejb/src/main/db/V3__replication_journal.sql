-- Duplex schema, version 3: degraded mode (replication policy nofail).

-- sync: every write goes to both databases in one XA transaction.
-- degraded: the database named in lagging is down or behind; writes go to the other one only and
-- each changed row is recorded in replication_journal there, replayed when the lagging one returns.
ALTER TABLE cluster_state ADD COLUMN mode varchar(16) NOT NULL DEFAULT 'sync' CHECK (mode IN ('sync', 'degraded'));
ALTER TABLE cluster_state ADD COLUMN lagging varchar(16);
ALTER TABLE cluster_state ADD CONSTRAINT cluster_state_lagging CHECK ((mode = 'sync') = (lagging IS NULL));

-- the after-image of every row a degraded-mode write changed, in commit order per row
CREATE TABLE replication_journal (
    seq      bigserial   PRIMARY KEY,
    at       timestamptz NOT NULL,
    tbl      varchar(32) NOT NULL,
    row_key  varchar(64) NOT NULL,
    row_data jsonb       NOT NULL
);
