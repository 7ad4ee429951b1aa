-- Duplex schema, version 1. Applied by Flyway (./duplex setup) to db-a and db-b alike, so both are identical;
-- ${primary_node} is the node that starts as primary.
-- inventory: what can be reserved, how much is reserved, and the row version for optimistic concurrency
CREATE TABLE resource (
    id        varchar(64)  PRIMARY KEY,
    name      varchar(200) NOT NULL,
    capacity  bigint       NOT NULL CHECK (capacity >= 0),
    reserved  bigint       NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    version   bigint       NOT NULL DEFAULT 0,
    CHECK (reserved <= capacity)
);

-- one row per reservation; (client_id, operation_id) makes every reserve exactly-once
CREATE TABLE reservation (
    id                  varchar(64) PRIMARY KEY,
    client_id           varchar(64) NOT NULL,
    operation_id        varchar(64) NOT NULL,
    resource_id         varchar(64) NOT NULL REFERENCES resource (id),
    quantity            integer     NOT NULL CHECK (quantity > 0),
    status              varchar(16) NOT NULL,
    created_at          timestamptz NOT NULL,
    epoch               bigint      NOT NULL,
    node                varchar(64) NOT NULL,
    cancel_operation_id varchar(64),
    cancelled_at        timestamptz,
    CONSTRAINT reservation_client_operation UNIQUE (client_id, operation_id),
    CONSTRAINT reservation_client_cancel_operation UNIQUE (client_id, cancel_operation_id)
);
CREATE INDEX reservation_client ON reservation (client_id, created_at);

-- the arbiter of who is primary: one row, the epoch only ever grows (compare-and-set)
CREATE TABLE cluster_state (
    id           integer     PRIMARY KEY CHECK (id = 1),
    epoch        bigint      NOT NULL CHECK (epoch >= 1),
    primary_node varchar(64) NOT NULL,
    changed_at   timestamptz NOT NULL
);

INSERT INTO cluster_state (id, epoch, primary_node, changed_at)
VALUES (1, 1, '${primary_node}', timestamptz '2000-01-01 00:00:00+00');
