"""The accounts `seed_scale` makes and the benchmark acts as: one per role, each the busiest of
its kind, so that a page's worst case is what is measured."""

DOMAIN = "scale.example.lv"
# Only ever in a scale database, which holds no real data (seed_scale refuses any other).
PASSWORD = "scale-parole"  # noqa: S105

MENTOR = f"mentor@{DOMAIN}"  # plans in every semester of the history, meetings this month
PREPARER = f"preparer@{DOMAIN}"  # of the biggest general school
APPROVER = f"approver@{DOMAIN}"  # of the biggest employer: the longest queue of months
REGIONAL_STAFF = f"staff-riga@{DOMAIN}"  # project staff of the Rīga region, the biggest
NATIONAL_STAFF = f"staff@{DOMAIN}"  # project staff of the whole country
ADMINISTRATOR = f"admin@{DOMAIN}"
