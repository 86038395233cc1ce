# A gunicorn config as many services ship it: uvicorn's worker, a generous timeout, workers from the CPUs.
import multiprocessing
import os

bind = "0.0.0.0:" + os.environ.get("PORT", "8000")
worker_class = "uvicorn.workers.UvicornWorker"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 120
graceful_timeout = 30
keepalive = 2
accesslog = "-"
