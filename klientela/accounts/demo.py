"""Demo company: an administrator and two sales teams, each with a head and managers."""

from klientela.core.demodata import DemoLoader

from .models import Role, Team, User
from .services import create_team, create_user, update_team

DEMO_PASSWORD = "demo-pass-2026"

TEAMS = [
    (
        "Moscow sales",
        [
            ("irina", "Irina", "Sokolova", "head", "ru", "Europe/Moscow"),
            ("dmitry", "Dmitry", "Volkov", "manager", "ru", "Europe/Moscow"),
            ("olga", "Olga", "Petrova", "manager", "ru", "Europe/Moscow"),
        ],
    ),
    (
        "Central Europe sales",
        [
            ("katarzyna", "Katarzyna", "Nowak", "head", "pl", "Europe/Warsaw"),
            ("piotr", "Piotr", "Wiśniewski", "manager", "pl", "Europe/Warsaw"),
            ("maja", "Maja", "Kovač", "manager", "sl", "Europe/Ljubljana"),
        ],
    ),
]


def load_accounts(context: dict) -> None:
    roles = {role.code: role for role in Role.objects.all()}
    admin = create_user(
        actor=None,
        username="admin",
        password=DEMO_PASSWORD,
        role=roles["admin"],
        first_name="Anna",
        last_name="Admin",
        email="admin@klientela.example",
    )
    for team_name, people in TEAMS:
        team = create_team(actor=admin, name=team_name)
        for username, first, last, role, language, tz in people:
            user = create_user(
                actor=admin,
                username=username,
                password=DEMO_PASSWORD,
                role=roles[role],
                team=team,
                first_name=first,
                last_name=last,
                language=language,
                timezone=tz,
                email=f"{username}@klientela.example",
            )
            if role == "head":
                update_team(actor=admin, team=team, head=user)
    context["admin"] = admin
    context["users"] = list(User.objects.filter(team__isnull=False))


def is_loaded() -> bool:
    return User.objects.exists() or Team.objects.exists()


DEMO = DemoLoader(
    key="accounts",
    order=10,
    load=load_accounts,
    is_loaded=is_loaded,
    login_hint=f"Demo login: admin / {DEMO_PASSWORD}  (head of sales: irina, manager: dmitry; "
    "same password)",
)
