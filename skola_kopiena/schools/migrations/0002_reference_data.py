"""Regions, municipalities and the school calendars of 2025/2026 and 2026/2027.

Sources, also kept on each school year row so staff see them in the admin:
- municipalities: Law on Administrative Territories and Populated Areas (2021, annex: 7 state
  cities and 36 novadi); their planning regions: Cabinet Regulation No. 418 of 22 June 2021.
- school calendars: the Cabinet's decisions on the school year of 17 December 2024
  (2025/2026) and 16 December 2025 (2026/2027), as reported in the press.
Project staff correct any date in the admin.
"""

import csv
import datetime
from pathlib import Path

from django.db import migrations

REGIONS = [
    ("Rīgas", "Rīgas plānošanas reģions", "riga"),
    ("Kurzemes", "Kurzemes plānošanas reģions", "kurzeme"),
    ("Vidzemes", "Vidzemes plānošanas reģions", "vidzeme"),
    ("Zemgales", "Zemgales plānošanas reģions", "zemgale"),
    ("Latgales", "Latgales plānošanas reģions", "latgale"),
]

D = datetime.date
CALENDARS = [
    {
        "name": "2025/2026",
        "start": D(2025, 9, 1),
        "end": D(2026, 8, 31),
        "source": "Ministru kabineta 2024. gada 17. decembra lēmums par 2025./2026. mācību "
        "gadu (preses ziņas; noteikumu numurs nav atrasts).",
        "semesters": [
            (1, D(2025, 9, 1), D(2025, 12, 19), None, None),
            (2, D(2026, 1, 5), D(2026, 5, 29), D(2026, 6, 12), D(2026, 6, 19)),
        ],
        "breaks": [
            ("autumn", D(2025, 10, 20), D(2025, 10, 24)),
            ("winter", D(2025, 12, 22), D(2026, 1, 2)),
            ("spring", D(2026, 3, 9), D(2026, 3, 13)),
            ("summer", D(2026, 6, 1), D(2026, 8, 31)),
        ],
    },
    {
        "name": "2026/2027",
        "start": D(2026, 9, 1),
        "end": D(2027, 8, 31),
        "source": "Ministru kabineta 2025. gada 16. decembra lēmums par 2026./2027. mācību "
        "gadu (preses ziņas; noteikumu numurs nav atrasts).",
        "semesters": [
            (1, D(2026, 9, 1), D(2026, 12, 18), None, None),
            (2, D(2027, 1, 4), D(2027, 5, 31), D(2027, 6, 11), D(2027, 6, 18)),
        ],
        "breaks": [
            ("autumn", D(2026, 10, 19), D(2026, 10, 23)),
            ("winter", D(2026, 12, 21), D(2027, 1, 1)),
            ("spring", D(2027, 3, 8), D(2027, 3, 12)),
            ("summer", D(2027, 6, 1), D(2027, 8, 31)),
        ],
    },
]


def load(apps, schema_editor):
    Region = apps.get_model("schools", "Region")
    Municipality = apps.get_model("schools", "Municipality")
    SchoolYear = apps.get_model("schools", "SchoolYear")
    Semester = apps.get_model("schools", "Semester")
    SchoolBreak = apps.get_model("schools", "SchoolBreak")

    regions = {}
    for key, name, code in REGIONS:
        regions[key], _ = Region.objects.get_or_create(code=code, defaults={"name": name})
    path = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            Municipality.objects.get_or_create(
                name=row["municipality"],
                defaults={
                    "kind": "state_city" if row["kind"] == "valstspilsēta" else "municipality",
                    "region": regions[row["planning_region"]],
                },
            )
    for calendar in CALENDARS:
        year, _ = SchoolYear.objects.get_or_create(
            name=calendar["name"],
            defaults={
                "start_date": calendar["start"],
                "end_date": calendar["end"],
                "source": calendar["source"],
            },
        )
        for number, start, end, end_9, end_12 in calendar["semesters"]:
            Semester.objects.get_or_create(
                school_year=year,
                number=number,
                defaults={
                    "start_date": start,
                    "end_date": end,
                    "end_date_grade_9": end_9,
                    "end_date_grade_12": end_12,
                },
            )
        for kind, start, end in calendar["breaks"]:
            SchoolBreak.objects.get_or_create(
                school_year=year, kind=kind, defaults={"start_date": start, "end_date": end}
            )


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
