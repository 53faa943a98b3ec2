from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """The national-scale data (`seed_scale`) and the page benchmark (`bench`). Like the demo,
    it sits above every app, so it may use them all."""

    name = "skola_kopiena.scale"
    label = "scale"
    verbose_name = "Scale"
