from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sandbox_id", models.CharField(db_index=True, help_text="the sandbox this token opens, and no other", max_length=64)),
                ("token_hash", models.CharField(help_text="sha256 hex of the token", max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "indexes": [models.Index(fields=["sandbox_id", "revoked_at"], name="kubeapi_token_active")],
            },
        ),
    ]
