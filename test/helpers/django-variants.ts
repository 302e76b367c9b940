/**
 * Variants of the reference Django app (test/fixtures/django-app) with the migrations the specs
 * deploy and rehearse:
 *   v1  the app as shipped
 *   v2  v1 plus a migration (AddField, nullable): metadata only
 *   v3  v2 plus a migration that rewrites core_release (AddField with a volatile db_default)
 *   v5  v2 plus a migration that widens core_release.version, varchar(64) → varchar(128): binary
 *       coercible, so no rewrite, which only the database's schema tells the gate
 */
import type { AppVariant } from "./django-images.js"

/** A migration module of the core app: its imports, the one migration it follows, its operations' lines. */
const coreMigration = (after: string, operations: string[], imports = ["from django.db import migrations, models"]) =>
  [
    ...imports,
    "",
    "",
    "class Migration(migrations.Migration):",
    "    dependencies = [",
    `        ("core", "${after}"),`,
    "    ]",
    "",
    "    operations = [",
    ...operations,
    "    ]",
    "",
  ].join("\n")

export const MIGRATION = "0002_release_deployed_at"
export const addDeployedAt = (models: string) =>
  models.replace(
    "    notes = models.TextField(blank=True)\n",
    '    notes = models.TextField(blank=True)\n    deployed_at = models.DateTimeField("deployed at", blank=True, null=True)\n',
  )

export const V1: AppVariant = { tag: "real-v1", version: "1.0.0" }
export const V2: AppVariant = {
  tag: "real-v2",
  version: "2.0.0",
  files: {
    "core/models.py": (text) => addDeployedAt(text),
    [`core/migrations/${MIGRATION}.py`]: coreMigration("0001_initial", [
      "        migrations.AddField(",
      '            model_name="release",',
      '            name="deployed_at",',
      '            field=models.DateTimeField(blank=True, null=True, verbose_name="deployed at"),',
      "        ),",
    ]),
  },
}
export const UNSAFE = "0003_release_build_id"
export const V3: AppVariant = {
  tag: "real-v3",
  version: "3.0.0",
  files: {
    ...V2.files,
    "core/models.py": (text) =>
      `from django.contrib.postgres.functions import RandomUUID\n${addDeployedAt(text).replace("    notes = models.TextField(blank=True)\n", "    notes = models.TextField(blank=True)\n    build_id = models.UUIDField(db_default=RandomUUID())\n")}`,
    [`core/migrations/${UNSAFE}.py`]: coreMigration(
      MIGRATION,
      [
        "        migrations.AddField(",
        '            model_name="release",',
        '            name="build_id",',
        "            field=models.UUIDField(db_default=django.contrib.postgres.functions.RandomUUID()),",
        "        ),",
      ],
      ["import django.contrib.postgres.functions", "from django.db import migrations, models"],
    ),
  },
}
export const WIDEN = "0003_release_version_length"
export const V5: AppVariant = {
  tag: "real-v5",
  version: "5.0.0",
  files: {
    ...V2.files,
    "core/models.py": (text) =>
      addDeployedAt(text).replace(
        "    version = models.CharField(max_length=64)\n",
        "    version = models.CharField(max_length=128)\n",
      ),
    [`core/migrations/${WIDEN}.py`]: coreMigration(MIGRATION, [
      "        migrations.AlterField(",
      '            model_name="release",',
      '            name="version",',
      "            field=models.CharField(max_length=128),",
      "        ),",
    ]),
  },
}
