"""``klientela import FILE --entity people --mapping mapping.json [--as USER]`` for scripts."""

import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from klientela.imports.services import batches, readers

ALIASES = {
    "people": "person",
    "organizations": "organization",
    "deals": "deal",
    "products": "product",
    "leads": "lead",
}


class Command(BaseCommand):
    help = "Import organizations, people, leads, deals or products from an XLSX, ODS or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--entity", required=True, help="people, organizations, leads, deals or products"
        )
        parser.add_argument("--mapping", help="JSON file: column header (or index) -> field")
        parser.add_argument("--as", dest="username", help="the user it is done as (owner)")
        parser.add_argument("--region", default="", help="default country of phones (RU, PL...)")
        parser.add_argument("--duplicates", default="skip", choices=["skip", "update", "create"])
        parser.add_argument("--sheet", default="")

    def handle(self, *args, file, entity, mapping=None, username=None, **options):
        entity = ALIASES.get(entity, entity)
        if entity not in batches.import_entities():
            raise CommandError(f"Unknown entity {entity!r}")
        users = get_user_model().objects.filter(is_active=True)
        user = (
            users.filter(username=username).first()
            if username
            else users.filter(Q(is_superuser=True) | Q(role__code="admin")).order_by("pk").first()
        )
        if user is None:
            raise CommandError("No such user (use --as USERNAME).")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        given = json.loads(Path(mapping).read_text(encoding="utf-8")) if mapping else None
        try:
            with path.open("rb") as handle:
                batch = batches.create_import(
                    actor=user, entity=entity, upload=File(handle), filename=path.name
                )
            headers = {header: str(index) for index, header in enumerate(batch.headers)}
            batches.configure_import(
                actor=user,
                batch=batch,
                sheet=options["sheet"] or None,
                mapping={headers.get(str(k), str(k)): v for k, v in given.items()}
                if given
                else None,
                region=options["region"] or None,
                duplicates=options["duplicates"],
            )
            job = batches.start_import(actor=user, batch=batch)
        except (ValidationError, PermissionDenied, readers.UnreadableFile) as error:
            raise CommandError(str(error)) from error
        job.refresh_from_db()
        while not job.is_finished:  # on a worker or in a thread: wait for it
            time.sleep(0.5)
            job.refresh_from_db()
        batch.refresh_from_db()
        self.stdout.write(
            f"import {batch.pk}: {batch.status}; rows {batch.rows}, created {batch.created}, "
            f"updated {batch.updated}, skipped {batch.skipped}, with errors {batch.failed}"
            + (f"; error report {batch.error_report.path}" if batch.error_report else "")
            + (f"; job {job.pk} {job.status}" if job else "")
        )
