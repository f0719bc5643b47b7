from django.db import migrations

# Fields added from now on get their sort indexes from the service that adds them (see
# klientela/core/customfields/indexes.py); this builds them for the fields already there.


def create_existing(apps, schema_editor):
    from klientela.core.customfields.indexes import create_sort_indexes

    for definition in apps.get_model("core", "FieldDefinition").objects.all():
        create_sort_indexes(definition)


def drop_existing(apps, schema_editor):
    from klientela.core.customfields.indexes import drop_sort_indexes

    for definition in apps.get_model("core", "FieldDefinition").objects.all():
        drop_sort_indexes(definition)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_search_entry_kind_trigram_index"),
    ]

    operations = [
        migrations.RunPython(create_existing, drop_existing),
    ]
