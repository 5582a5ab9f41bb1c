"""Who may do what: users and roles, per-client access rules, sign-in, API tokens, the audit trail and the
security event log."""
