"""Background work: the job queue in the database, the worker that runs jobs, and document uploads."""
