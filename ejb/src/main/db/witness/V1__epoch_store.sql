-- Duplex witness db-w, version 1: a third epoch store. No business data, ever: only the cluster
-- state, the primary's liveness tick and the transaction markers, so that db-a, db-b and db-w make a
-- majority of three (DESIGN.md, "Three epoch stores, majority quorums").
CREATE TABLE cluster_state (
    id           integer     PRIMARY KEY CHECK (id = 1),
    epoch        bigint      NOT NULL CHECK (epoch >= 1),
    primary_node varchar(64) NOT NULL,
    changed_at   timestamptz NOT NULL,
    mode         varchar(16) NOT NULL DEFAULT 'sync' CHECK (mode IN ('sync', 'degraded')),
    lagging      varchar(16),
    written_by   varchar(64) NOT NULL DEFAULT 'setup',
    CONSTRAINT cluster_state_lagging CHECK ((mode = 'sync') = (lagging IS NULL))
);
INSERT INTO cluster_state (id, epoch, primary_node, changed_at)
VALUES (1, 1, '${primary_node}', timestamptz '2000-01-01 00:00:00+00');

CREATE TABLE liveness (
    id    integer     PRIMARY KEY CHECK (id = 1),
    epoch bigint      NOT NULL,
    node  varchar(64) NOT NULL,
    tick  bigint      NOT NULL,
    at    timestamptz NOT NULL
);
INSERT INTO liveness (id, epoch, node, tick, at) VALUES (1, 1, '${primary_node}', 0, now());

CREATE TABLE xa_marker (
    gtrid        varchar(200) PRIMARY KEY,
    written_at   timestamptz  NOT NULL,
    participants varchar(64)  NOT NULL DEFAULT '',
    changed_rows text         NOT NULL DEFAULT ''
);
CREATE INDEX xa_marker_written_at ON xa_marker (written_at);

-- events of state changes are recorded in the data databases; the witness keeps none
