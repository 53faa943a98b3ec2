import factory
from allauth.mfa.models import Authenticator

from mentors.models import Mentor
from skola_kopiena.accounts.models import Role, RoleMembership, User
from skola_kopiena.schools.models import Institution, Municipality, Region

PASSWORD = "pareiza-parole-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"lietotajs{n}@example.lv")
    first_name = "Ieva"
    last_name = factory.Sequence(lambda n: f"Lietotāja{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def region(code):
    return Region.objects.get(code=code)


def municipality(name):
    return Municipality.objects.get(name=name)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Skola Nr. {n}")
    kind = Institution.Kind.GENERAL
    municipality = factory.LazyFunction(lambda: municipality("Rīga"))


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor
        skip_postgeneration_save = True

    first_name = "Mārtiņš"
    last_name = factory.Sequence(lambda n: f"Mentors{n:03d}")
    email = factory.Sequence(lambda n: f"mentors{n}@example.lv")
    phone = "+371 2000 0000"
    certificate_number = factory.Sequence(lambda n: f"SK-{n:05d}")
    region = factory.LazyFunction(lambda: region("riga"))

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create:
            obj.municipalities.set(extracted or [municipality("Rīga")])


def give_role(user, role, *, institution=None, region=None):
    return RoleMembership.objects.create(
        user=user, role=role, institution=institution, region=region
    )


def give_totp(user):
    """A TOTP authenticator row, so that staff pass the MFA requirement in tests."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


__all__ = ["PASSWORD", "Role"]
