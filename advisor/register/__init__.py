"""The vCISO's registers: structured programme data (findings, their review and history) kept in the state
database, proposed from a client's documents and confirmed by people."""
