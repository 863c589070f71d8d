# One image for the API, the Dagster webserver and the Dagster daemon.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    MACRODESK_DATA_DIR=/app/var DAGSTER_HOME=/opt/dagster/home

# Chromium renders report charts (kaleido); curl serves container health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY src ./src
RUN pip install --no-cache-dir --no-deps . \
 && mkdir -p /app/var "$DAGSTER_HOME"
COPY deploy/dagster.postgres.yaml /opt/dagster/home/dagster.yaml
COPY deploy/workspace.yaml /opt/dagster/app/workspace.yaml

EXPOSE 8000 3001
CMD ["macrodesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
