"""What gunicorn serves: ``gunicorn hub.wsgi:app`` (from a wheel or a checkout)."""

from hub import create_app

app = create_app()
