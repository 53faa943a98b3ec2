from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of the quick start. It sits above every app, so it may use them all."""

    name = "skola_kopiena.demo"
    label = "demo"
    verbose_name = "Demo"
