# CareOps console. Build: docker build -t careops .
# Run (production mode: refuses to start without its secrets, see README "Container"):
#   docker run -p 8501:8501 -v careops-data:/app/data \
#     -e CAREOPS_ENCRYPTION_KEY=... -e CAREOPS_DATABASE_URL=postgresql+psycopg://... careops
# or everything with PostgreSQL and Redis: docker compose -f deploy/compose.yaml up
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CAREOPS_DATA_DIR=/app/data CAREOPS_MODELS_DIR=/app/models \
    CAREOPS_REPORTS_DIR=/app/data/reports CAREOPS_SCENARIOS_DIR=/app/data/scenarios
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.txt
# .dockerignore keeps local state (databases, keys, models, MLflow store), secrets.toml, .venv and .git out.
COPY . .
# The models are part of the release: trained here from the shipped data and scenarios into /app/models,
# outside the data volume, so a new image serves its own models and an old volume never shadows them.
RUN CAREOPS_ENV=development CAREOPS_SCENARIOS_DIR=/app/scenarios python -m core train --no-register
# /app/data is the only writable state (databases when SQLite is chosen, MLflow store, reports, the
# reviewers' scenario files): a volume, so a recreated container keeps it. Everything else stays root's.
RUN useradd --create-home careops && mkdir -p /app/data && chown careops /app/data \
    && chmod 0755 deploy/entrypoint.sh
ENV CAREOPS_ENV=production
VOLUME ["/app/data"]
USER careops
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
