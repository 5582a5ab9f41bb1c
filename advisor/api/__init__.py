"""The HTTP API (`vciso api`): a FastAPI app over the same core as the app and the CLI.

    from advisor.api.app import create_app
    app = create_app(Settings())

Layers: routes (one module per resource) call the :class:`advisor.service.Advisor` built by
``build_advisor`` with the token's user as the principal; :mod:`advisor.api.auth` turns a bearer token
into that user; :mod:`advisor.api.problems` turns every error into RFC 9457 problem+json.
"""
