"""The reference lists the customer base relies on, created after migrations when missing.

Administrators may relabel, reorder, retire or add items later: only missing lists and items are
created, nothing they changed is overwritten.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from klientela.core.models import ReferenceItem, ReferenceList

from ..models import CLIENT_GROUPS, CONTACT_ROLES, INDUSTRIES, ORGANIZATION_TYPES, SOURCES

# key -> (name, {language: name}, [(item key, label, {language: label})])
REFERENCE_LISTS = {
    INDUSTRIES: (
        gettext_noop("Industries"),
        {"ru": "Отрасли", "pl": "Branże", "sl": "Panoge"},
        [
            (
                "manufacturing",
                "Manufacturing",
                {"ru": "Производство", "pl": "Produkcja", "sl": "Proizvodnja"},
            ),
            (
                "wholesale",
                "Wholesale",
                {"ru": "Оптовая торговля", "pl": "Handel hurtowy", "sl": "Trgovina na debelo"},
            ),
            (
                "retail",
                "Retail",
                {"ru": "Розничная торговля", "pl": "Handel detaliczny", "sl": "Trgovina na drobno"},
            ),
            (
                "construction",
                "Construction",
                {"ru": "Строительство", "pl": "Budownictwo", "sl": "Gradbeništvo"},
            ),
            (
                "logistics",
                "Transport and logistics",
                {
                    "ru": "Транспорт и логистика",
                    "pl": "Transport i logistyka",
                    "sl": "Transport in logistika",
                },
            ),
            (
                "it",
                "IT and software",
                {
                    "ru": "ИТ и программное обеспечение",
                    "pl": "IT i oprogramowanie",
                    "sl": "IT in programska oprema",
                },
            ),
            (
                "finance",
                "Finance and insurance",
                {
                    "ru": "Финансы и страхование",
                    "pl": "Finanse i ubezpieczenia",
                    "sl": "Finance in zavarovalništvo",
                },
            ),
            (
                "healthcare",
                "Healthcare",
                {"ru": "Здравоохранение", "pl": "Ochrona zdrowia", "sl": "Zdravstvo"},
            ),
            (
                "food",
                "Food and beverages",
                {
                    "ru": "Продукты питания и напитки",
                    "pl": "Żywność i napoje",
                    "sl": "Hrana in pijača",
                },
            ),
            (
                "agriculture",
                "Agriculture",
                {"ru": "Сельское хозяйство", "pl": "Rolnictwo", "sl": "Kmetijstvo"},
            ),
            ("energy", "Energy", {"ru": "Энергетика", "pl": "Energetyka", "sl": "Energetika"}),
            (
                "services",
                "Professional services",
                {
                    "ru": "Профессиональные услуги",
                    "pl": "Usługi profesjonalne",
                    "sl": "Strokovne storitve",
                },
            ),
            (
                "public",
                "Public sector",
                {"ru": "Государственный сектор", "pl": "Sektor publiczny", "sl": "Javni sektor"},
            ),
            ("other", "Other", {"ru": "Другое", "pl": "Inne", "sl": "Drugo"}),
        ],
    ),
    CLIENT_GROUPS: (
        gettext_noop("Client groups"),
        {"ru": "Группы клиентов", "pl": "Grupy klientów", "sl": "Skupine strank"},
        [
            (
                "key_account",
                "Key account",
                {"ru": "Ключевой клиент", "pl": "Klient kluczowy", "sl": "Ključna stranka"},
            ),
            ("regular", "Regular", {"ru": "Постоянный", "pl": "Stały", "sl": "Redna"}),
            ("occasional", "Occasional", {"ru": "Разовый", "pl": "Okazjonalny", "sl": "Občasna"}),
            ("dealer", "Dealer", {"ru": "Дилер", "pl": "Dealer", "sl": "Trgovec"}),
            ("vip", "VIP", {"ru": "VIP", "pl": "VIP", "sl": "VIP"}),
        ],
    ),
    SOURCES: (
        gettext_noop("Sources"),
        {"ru": "Источники", "pl": "Źródła", "sl": "Viri"},
        [
            (
                "website",
                "Website",
                {"ru": "Сайт", "pl": "Strona internetowa", "sl": "Spletna stran"},
            ),
            (
                "referral",
                "Referral",
                {"ru": "Рекомендация", "pl": "Polecenie", "sl": "Priporočilo"},
            ),
            (
                "cold_call",
                "Cold call",
                {"ru": "Холодный звонок", "pl": "Zimny telefon", "sl": "Hladni klic"},
            ),
            (
                "phone_call",
                "Incoming call",
                {"ru": "Входящий звонок", "pl": "Połączenie przychodzące", "sl": "Dohodni klic"},
            ),
            ("exhibition", "Exhibition", {"ru": "Выставка", "pl": "Targi", "sl": "Sejem"}),
            ("advertising", "Advertising", {"ru": "Реклама", "pl": "Reklama", "sl": "Oglaševanje"}),
            (
                "email_campaign",
                "Email campaign",
                {"ru": "Email-рассылка", "pl": "Kampania e-mail", "sl": "E-poštna kampanja"},
            ),
            ("partner", "Partner", {"ru": "Партнёр", "pl": "Partner", "sl": "Partner"}),
            ("other", "Other", {"ru": "Другое", "pl": "Inne", "sl": "Drugo"}),
        ],
    ),
    ORGANIZATION_TYPES: (
        gettext_noop("Organization types"),
        {"ru": "Типы организаций", "pl": "Typy organizacji", "sl": "Vrste organizacij"},
        [
            ("client", "Client", {"ru": "Клиент", "pl": "Klient", "sl": "Stranka"}),
            (
                "prospect",
                "Prospect",
                {
                    "ru": "Потенциальный клиент",
                    "pl": "Potencjalny klient",
                    "sl": "Potencialna stranka",
                },
            ),
            ("partner", "Partner", {"ru": "Партнёр", "pl": "Partner", "sl": "Partner"}),
            ("supplier", "Supplier", {"ru": "Поставщик", "pl": "Dostawca", "sl": "Dobavitelj"}),
            ("competitor", "Competitor", {"ru": "Конкурент", "pl": "Konkurent", "sl": "Konkurent"}),
        ],
    ),
    CONTACT_ROLES: (
        gettext_noop("Contact roles"),
        {"ru": "Роли контактов", "pl": "Role kontaktów", "sl": "Vloge kontaktov"},
        [
            ("director", "Director", {"ru": "Директор", "pl": "Dyrektor", "sl": "Direktor"}),
            (
                "accountant",
                "Accountant",
                {"ru": "Бухгалтер", "pl": "Księgowy", "sl": "Računovodja"},
            ),
            (
                "purchaser",
                "Purchaser",
                {"ru": "Закупщик", "pl": "Zaopatrzeniowiec", "sl": "Nabavnik"},
            ),
            (
                "storekeeper",
                "Storekeeper",
                {"ru": "Кладовщик", "pl": "Magazynier", "sl": "Skladiščnik"},
            ),
            (
                "decision_maker",
                "Decision maker",
                {"ru": "Лицо, принимающее решения", "pl": "Decydent", "sl": "Odločevalec"},
            ),
            ("engineer", "Engineer", {"ru": "Инженер", "pl": "Inżynier", "sl": "Inženir"}),
            ("lawyer", "Lawyer", {"ru": "Юрист", "pl": "Prawnik", "sl": "Pravnik"}),
            ("other", "Other", {"ru": "Другое", "pl": "Inne", "sl": "Drugo"}),
        ],
    ),
}


@transaction.atomic
def sync_reference_lists() -> None:
    for list_key, (name, names, items) in REFERENCE_LISTS.items():
        reference_list, _created = ReferenceList.objects.get_or_create(
            key=list_key, defaults={"name": name, "names": names, "is_system": True}
        )
        existing = set(reference_list.items.values_list("key", flat=True))
        ReferenceItem.objects.bulk_create(
            ReferenceItem(
                reference_list=reference_list, key=key, label=label, labels=labels, order=order
            )
            for order, (key, label, labels) in enumerate(items)
            if key not in existing
        )


def sync_reference_lists_after_migrate(**kwargs) -> None:
    sync_reference_lists()
