/**
 * Variants of the reference Django app (test/fixtures/django-app) with the migrations the specs
 * deploy and rehearse:
 *   v1  the app as shipped
 *   v2  v1 plus a migration (AddField, nullable): metadata only
 *   v3  v2 plus a migration that rewrites core_release (AddField with a volatile db_default)
 */
import type { AppVariant } from "./django-images.js"

export const MIGRATION = "0002_release_deployed_at"
export const addDeployedAt = (models: string) => models.replace("    notes = models.TextField(blank=True)\n", '    notes = models.TextField(blank=True)\n    deployed_at = models.DateTimeField("deployed at", blank=True, null=True)\n')

export const V1: AppVariant = { tag: "real-v1", version: "1.0.0" }
export const V2: AppVariant = {
  tag: "real-v2",
  version: "2.0.0",
  files: {
    "core/models.py": (text) => addDeployedAt(text),
    [`core/migrations/${MIGRATION}.py`]: [
      "from django.db import migrations, models",
      "",
      "",
      "class Migration(migrations.Migration):",
      "    dependencies = [",
      '        ("core", "0001_initial"),',
      "    ]",
      "",
      "    operations = [",
      "        migrations.AddField(",
      '            model_name="release",',
      '            name="deployed_at",',
      '            field=models.DateTimeField(blank=True, null=True, verbose_name="deployed at"),',
      "        ),",
      "    ]",
      "",
    ].join("\n"),
  },
}
export const UNSAFE = "0003_release_build_id"
export const V3: AppVariant = {
  tag: "real-v3",
  version: "3.0.0",
  files: {
    ...V2.files,
    "core/models.py": (text) => `from django.contrib.postgres.functions import RandomUUID\n${addDeployedAt(text).replace("    notes = models.TextField(blank=True)\n", "    notes = models.TextField(blank=True)\n    build_id = models.UUIDField(db_default=RandomUUID())\n")}`,
    [`core/migrations/${UNSAFE}.py`]: [
      "import django.contrib.postgres.functions",
      "from django.db import migrations, models",
      "",
      "",
      "class Migration(migrations.Migration):",
      "    dependencies = [",
      `        ("core", "${MIGRATION}"),`,
      "    ]",
      "",
      "    operations = [",
      "        migrations.AddField(",
      '            model_name="release",',
      '            name="build_id",',
      "            field=models.UUIDField(db_default=django.contrib.postgres.functions.RandomUUID()),",
      "        ),",
      "    ]",
      "",
    ].join("\n"),
  },
}
