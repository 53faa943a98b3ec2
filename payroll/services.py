from skola_kopiena.services import refused_by_constraint, service

# PAY-2 in the database (PostgreSQL): payroll/migrations/0002_rates_never_overlap.py.
OVERLAP_CONSTRAINT = "payroll_rate_no_overlap"


@service
def rate_save(*, actor, rate):
    """PAY-2: add or correct a rate; its period may not overlap another's."""
    rate.full_clean()
    # Two rates saved at once, each past the other's check, get the same refusal: by now
    # the other one is visible to the check.
    with refused_by_constraint(OVERLAP_CONSTRAINT, rate.overlap_error):
        rate.save()
    return rate
