"""The API's routers, one module per resource: health, answers (ask, audit), documents (clients, sources,
uploads, removal), jobs, assessment (gaps, questionnaires) and drafts."""
