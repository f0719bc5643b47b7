"""Klientela: the project package; the Celery app loads with Django so shared_task binds to it."""

from .background import app as celery_app

__all__ = ("celery_app",)
