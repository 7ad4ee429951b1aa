-- Duplex schema, version 4: three epoch stores (db-a, db-b and the witness db-w) and majority quorums.

-- who wrote the current state row: two different rows at one epoch are a divergence, and the writer
-- tells an operator which node made each
ALTER TABLE cluster_state ADD COLUMN written_by varchar(64) NOT NULL DEFAULT 'setup';

-- the primary's liveness tick: every heartbeat interval it proves it can still write its write
-- majority; a backup promotes only once the tick has stopped moving in a majority it reads
CREATE TABLE liveness (
    id    integer     PRIMARY KEY CHECK (id = 1),
    epoch bigint      NOT NULL,
    node  varchar(64) NOT NULL,
    tick  bigint      NOT NULL,
    at    timestamptz NOT NULL
);
INSERT INTO liveness (id, epoch, node, tick, at) VALUES (1, 1, '${primary_node}', 0, now());

-- every transaction that takes the epoch lock names its participants and the rows it changed, so
-- whoever finds one of its branches prepared can finish it with the coordinator's own answer
ALTER TABLE xa_marker ADD COLUMN participants varchar(64) NOT NULL DEFAULT '';
ALTER TABLE xa_marker ADD COLUMN changed_rows text NOT NULL DEFAULT '';

-- a cancel decides on the row as it is after the lock; the version refuses a lost update besides
ALTER TABLE reservation ADD COLUMN version bigint NOT NULL DEFAULT 0;
