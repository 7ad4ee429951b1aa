-- Duplex schema, version 5: exactly once for the inventory writes (createResource, changeCapacity), as
-- (client_id, operation_id) in reservation makes it for reserve and cancel. Data databases only: the
-- witness holds no business data.

-- one row per applied inventory write: the request, so that a reused operation id with other arguments
-- is refused, and the answer it got, so that a resend after a lost answer gets that very answer again
CREATE TABLE inventory_operation (
    id               varchar(64)  PRIMARY KEY,
    client_id        varchar(64)  NOT NULL,
    operation_id     varchar(64)  NOT NULL,
    kind             varchar(16)  NOT NULL CHECK (kind IN ('CREATE', 'CAPACITY')),
    resource_id      varchar(64)  NOT NULL REFERENCES resource (id),
    -- the request: the capacity asked for; the version the caller read (capacity changes only)
    capacity         bigint       NOT NULL,
    expected_version bigint,
    -- the answer: the resource as the write left it
    name             varchar(200) NOT NULL,
    reserved         bigint       NOT NULL,
    version          bigint       NOT NULL,
    applied_at       timestamptz  NOT NULL,
    epoch            bigint       NOT NULL,
    node             varchar(64)  NOT NULL,
    CONSTRAINT inventory_operation_client_operation UNIQUE (client_id, operation_id),
    CHECK ((kind = 'CAPACITY') = (expected_version IS NOT NULL))
);
CREATE INDEX inventory_operation_resource ON inventory_operation (resource_id);
