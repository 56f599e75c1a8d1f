FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY accounts ./accounts
COPY analysis ./analysis
COPY review ./review
COPY interviews ./interviews
COPY reports ./reports
COPY conversations ./conversations
COPY coaching ./coaching
COPY console ./console
COPY manage.py ./
RUN pip install --no-cache-dir .
RUN useradd --create-home app && mkdir -p /app/var/media && chown -R app /app/var
USER app
EXPOSE 8000
# gthread: a practice request may wait up to 180 s on its job; with threads a few waiting
# requests do not take every worker, and the timeout stays above the longest wait.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "gthread", "--threads", "8", "--timeout", "200"]
