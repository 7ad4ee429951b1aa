-- Duplex witness db-w, version 3: Flyway's history table (flyway_schema_history) records the versions
-- applied. The table that ./duplex kept by hand before Flyway goes; a store migrated then was baselined from it.
DROP TABLE IF EXISTS schema_version;
