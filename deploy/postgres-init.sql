-- Dagster keeps its run storage in a database of its own, next to the application's.
CREATE DATABASE dagster OWNER macrodesk;
