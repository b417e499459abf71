from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tutorial.accounts"
    label = "accounts"
