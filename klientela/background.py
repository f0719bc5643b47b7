"""The Celery app (not celery.py: that name would shadow the package on some paths): settings
from Django's (``CELERY_*``), tasks from every app's tasks.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klientela.settings")

app = Celery("klientela")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
