-- Duplex schema, version 2: what failover needs.

-- One row per committed write transaction, written in both databases inside that transaction and
-- keyed by the XA global transaction id (base64, as in PostgreSQL's gid). When a primary dies
-- between prepare and commit, the node taking over finishes each prepared branch the way its
-- partner branch ended: committed there (marker present) means commit, otherwise roll back.
CREATE TABLE xa_marker (
    gtrid      varchar(200) PRIMARY KEY,
    written_at timestamptz  NOT NULL
);
CREATE INDEX xa_marker_written_at ON xa_marker (written_at);

-- What happened to the cluster: promotions, failbacks, switchovers, nodes down and up.
CREATE TABLE cluster_event (
    id     varchar(64)  PRIMARY KEY,
    at     timestamptz  NOT NULL,
    node   varchar(64)  NOT NULL,
    kind   varchar(32)  NOT NULL,
    epoch  bigint       NOT NULL,
    detail varchar(500) NOT NULL
);
CREATE INDEX cluster_event_at ON cluster_event (at);
